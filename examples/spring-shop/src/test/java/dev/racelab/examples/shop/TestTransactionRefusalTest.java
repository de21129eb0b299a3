package dev.racelab.examples.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.racelab.junit.Invariant;
import dev.racelab.junit.Race;
import dev.racelab.junit.RaceResult;
import dev.racelab.junit.RaceTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * A {@code @Transactional} test class (as {@code @DataJpaTest} is): the setup's rows would sit in the test's
 * uncommitted transaction, unseen by the invocations, so racelab refuses the race in one line instead of a PASS.
 */
@SpringBootTest
@Transactional
class TestTransactionRefusalTest {
    static final long ID = 2;

    @Autowired
    DepositService deposits;
    @Autowired
    AccountRepository accounts;

    @RaceTest(threads = 2, invocations = 4)
    void aRaceInsideTheTestsTransactionIsRefused(Race race) {
        race.setup(() -> accounts.save(new Account(ID, 0)));
        race.op(() -> deposits.depositAtomic(ID, 10));
        race.expect(Invariant.sum("balance", () -> accounts.findById(ID).orElseThrow().getBalance(), 10));
        assertThatThrownBy(race::run).hasMessage("racelab: this race runs inside the test's own transaction (@Transactional on the"
                + " test, or @DataJpaTest, which is transactional): the invocations cannot see its uncommitted rows, and a PASS would"
                + " mean nothing. Put @Transactional(propagation = Propagation.NOT_SUPPORTED) on the test method or class.");
    }

    @RaceTest(threads = 2, invocations = 4)
    @Transactional(propagation = Propagation.NOT_SUPPORTED)
    void withNotSupportedTheRaceRuns(Race race) {
        race.setup(() -> accounts.save(new Account(ID, 0)));
        race.op(() -> deposits.depositAtomic(ID, 10));
        race.expect(Invariant.sum("balance", () -> accounts.findById(ID).orElseThrow().getBalance(), 10));
        RaceResult result = race.run();
        assertThat(result.verdict()).as(result.message()).isEqualTo(RaceResult.Verdict.PASS);
        assertThat(result.outcomes().acknowledged()).isEqualTo(4);
    }
}
