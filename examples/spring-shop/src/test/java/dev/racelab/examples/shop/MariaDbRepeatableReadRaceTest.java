package dev.racelab.examples.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racelab.junit.Invariant;
import dev.racelab.junit.Race;
import dev.racelab.junit.RaceResult;
import dev.racelab.junit.RaceTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/**
 * The REPEATABLE READ deposit on MariaDB 10.11: no serialization failure there. The second update waits for the
 * first one's lock, then writes the balance it computed from its old snapshot, and a deposit is lost without an
 * error; so the PostgreSQL fix, a retry, has nothing to retry. The locking read is what holds on both.
 */
@SpringBootTest
@ActiveProfiles("mariadb")
class MariaDbRepeatableReadRaceTest {
    static final long ID = 62;

    @Autowired
    DepositService deposits;
    @Autowired
    RetryingDepositService retrying;
    @Autowired
    AccountRepository accounts;

    long balance() {
        return accounts.findById(ID).orElseThrow().getBalance();
    }

    @RaceTest
    void repeatableReadLosesADepositSilentlyInAnInterleaving(Race race) {
        race.interleave();
        race.setup(() -> accounts.save(new Account(ID, 0)));
        race.op(() -> deposits.depositRepeatableRead(ID, 10));
        race.expect(Invariant.sum("balance", this::balance, 10));
        RaceResult result = race.run();
        System.out.println(result.message());
        assertThat(result.verdict()).isEqualTo(RaceResult.Verdict.FAIL);
        assertThat(result.lost()).isEqualTo(10);
        assertThat(result.outcomes().acknowledged()).as("no error to retry on").isEqualTo(2);
    }

    @RaceTest
    void theRetryThatFixesPostgresqlHasNothingToRetryInAnInterleaving(Race race) {
        race.interleave();
        race.setup(() -> accounts.save(new Account(ID, 0)));
        race.op(() -> retrying.depositRepeatableRead(ID, 10));
        race.expect(Invariant.sum("balance", this::balance, 10));
        RaceResult result = race.run();
        assertThat(result.verdict()).isEqualTo(RaceResult.Verdict.FAIL);
        assertThat(result.lost()).isEqualTo(10);
    }

    @RaceTest
    void theLockingReadLosesNothingInAnyInterleaving(Race race) {
        race.interleave();
        race.setup(() -> accounts.save(new Account(ID, 0)));
        race.op(() -> deposits.depositLocked(ID, 10));
        race.expect(Invariant.sum("balance", this::balance, 10));
        RaceResult result = race.run();
        assertThat(result.verdict()).as(result.message()).isEqualTo(RaceResult.Verdict.PASS);
        assertThat(result.outcomes().acknowledged()).isEqualTo(2);
    }
}
