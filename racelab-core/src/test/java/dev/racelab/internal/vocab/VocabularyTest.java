package dev.racelab.internal.vocab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.racelab.core.InvalidFieldException;
import dev.racelab.internal.strategy.Strategies;
import dev.racelab.internal.strategy.StrategyInfo;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shared words: each strategy identity has its one catalogue entry, and the names users type parse to the types. */
class VocabularyTest {
    @Test
    void everyStrategyIdentityHasItsOneEntryInTheCatalogueInTheReportsOrder() {
        assertThat(Strategies.all()).extracting(StrategyInfo::id).containsExactly(StrategyId.values());
        for (StrategyId id : StrategyId.values()) {
            assertThat(Strategies.get(id.flagName()).id()).isEqualTo(id);
            assertThat(Strategies.get(id).name()).isEqualTo(id.flagName());
        }
    }

    @Test
    void anUnknownStrategyIsRefusedNamingTheFieldAndTheChoices() {
        assertThatThrownBy(() -> Strategies.get("optimstic")).isInstanceOf(InvalidFieldException.class)
                .hasMessageContaining("unknown strategy 'optimstic'").hasMessageContaining("naive-nokey, naive, ");
        assertThat(StrategyId.find("optimstic")).isEmpty();
    }

    @Test
    void theNemesisInjectsEveryKindButTheFailoverItOnlySees() {
        assertThat(Arrays.stream(FaultKind.values()).filter(k -> !k.injectable())).containsExactly(FaultKind.FAILOVER);
        assertThat(FaultKind.injectable("partition-primary")).isEqualTo(FaultKind.PARTITION_PRIMARY);
        assertThat(FaultKind.find("failover")).hasValue(FaultKind.FAILOVER);
        assertThatThrownBy(() -> FaultKind.injectable("failover")).isInstanceOf(InvalidFieldException.class)
                .hasMessageContaining("unknown fault 'failover'").hasMessageContaining("kill-worker, pause-holder, ");
        assertThat(List.of(FaultKind.KILL_PRIMARY, FaultKind.PARTITION_HOLDER)).allMatch(FaultKind::inLab);
        assertThat(FaultKind.KILL_WORKER.inLab()).isFalse();
    }

    @Test
    void aVerdictIsPassOrFail() {
        assertThat(PassFail.of(true)).isEqualTo(PassFail.PASS);
        assertThat(PassFail.of(false).passed()).isFalse();
    }
}
