package dev.racelab.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.racelab.junit.Invariant;
import dev.racelab.junit.Race;
import dev.racelab.junit.RaceResult;
import dev.racelab.junit.RaceTest;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.junit.jupiter.SpringJUnitConfig;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** A @Transactional test class: a race in the test's transaction is refused in one line; NOT_SUPPORTED on the method lets it run. */
@SpringJUnitConfig(Counters.App.class)
@Transactional
class RefusalTest {
    static final long ID = 2;

    @Autowired
    Counters counters;

    @RaceTest(threads = 2, invocations = 4)
    void aRaceInsideTheTestsTransactionIsRefused(Race race) {
        assertThat(TransactionSynchronizationManager.isActualTransactionActive()).as("the test's own transaction").isTrue();
        race.setup(() -> counters.reset(ID));
        race.op(() -> counters.addAtomic(ID, 1));
        race.expect(Invariant.sum("value", () -> counters.value(ID), 1));
        assertThatThrownBy(race::run).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage(SpringRaceHost.INSIDE_TEST_TRANSACTION).hasMessageNotContaining("\n");
    }

    @RaceTest(threads = 2, invocations = 4)
    void anInterleavedRaceInsideItIsRefusedToo(Race race) {
        race.interleave();
        race.setup(() -> counters.reset(ID));
        race.op(() -> counters.addAtomic(ID, 1));
        race.expect(Invariant.sum("value", () -> counters.value(ID), 1));
        assertThatThrownBy(race::run).hasMessage(SpringRaceHost.INSIDE_TEST_TRANSACTION);
    }

    @RaceTest(threads = 2, invocations = 4)
    @Transactional(propagation = Propagation.NOT_SUPPORTED)
    void withNotSupportedOnTheMethodTheRaceRuns(Race race) {
        race.setup(() -> counters.reset(ID));
        race.op(() -> counters.addAtomic(ID, 1));
        race.expect(Invariant.sum("value", () -> counters.value(ID), 1));
        RaceResult result = race.run();
        assertThat(result.verdict()).as(result.message()).isEqualTo(RaceResult.Verdict.PASS);
        assertThat(counters.value(ID)).isEqualTo(4);
    }
}
