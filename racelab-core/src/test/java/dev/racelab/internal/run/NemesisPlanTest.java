package dev.racelab.internal.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.racelab.core.InvalidFieldException;
import dev.racelab.internal.vocab.FaultKind;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class NemesisPlanTest {
    private static final Duration EVERY = Duration.ofSeconds(5);

    @Test
    void aWorkerOrServerFaultComesFirstOnePeriodIn() {
        assertThat(new NemesisPlan(List.of(FaultKind.KILL_WORKER), EVERY, null).first()).isEqualTo(EVERY);
    }

    @Test
    void aLabFaultComesFirstOneSecondIn() {
        NemesisPlan plan = new NemesisPlan(List.of(FaultKind.PARTITION_PRIMARY), EVERY, null);
        assertThat(plan.first()).isEqualTo(NemesisPlan.LAB_FIRST);
        assertThat(plan.needsLab()).isTrue();
    }

    @Test
    void aMixOfLabAndOtherFaultsKeepsThePeriodAndAGivenFirstWins() {
        assertThat(new NemesisPlan(List.of(FaultKind.PARTITION_PRIMARY, FaultKind.KILL_WORKER), EVERY, null).first())
                .isEqualTo(EVERY);
        assertThat(new NemesisPlan(List.of(FaultKind.PARTITION_PRIMARY), EVERY, null, Duration.ofSeconds(3)).first())
                .isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void aNegativeFirstNamesItsField() {
        assertThatThrownBy(() -> new NemesisPlan(List.of(FaultKind.KILL_WORKER), EVERY, null, Duration.ofSeconds(-1)))
                .isInstanceOf(InvalidFieldException.class).satisfies(e -> assertThat(((InvalidFieldException) e).field()).isEqualTo("nemesisAfter"));
    }
}
