package dev.racelab.examples.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racelab.junit.Invariant;
import dev.racelab.junit.Race;
import dev.racelab.junit.RaceResult;
import dev.racelab.junit.RaceTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * {@code synchronized} on a {@code @Transactional} method: the monitor is released before the proxy commits, so a
 * deposit still reads a balance another has changed but not yet committed (spring-framework #23549). The row lock
 * ({@code select ... for update}) is held until the commit, and loses nothing.
 */
@SpringBootTest
class SynchronizedDepositRaceTest {
    static final long ID = 11;

    @Autowired
    DepositService deposits;
    @Autowired
    AccountRepository accounts;

    long balance() {
        return accounts.findById(ID).orElseThrow().getBalance();
    }

    @RaceTest(threads = 8, invocations = 400)
    void synchronizedStillLosesDepositsUnderLoad(Race race) {
        race.setup(() -> accounts.save(new Account(ID, 0)));
        race.op(() -> deposits.depositSynchronized(ID, 10));
        race.expect(Invariant.sum("balance", this::balance, 10));
        RaceResult result = race.run();
        System.out.println(result.message());
        assertThat(result.verdict()).isEqualTo(RaceResult.Verdict.FAIL);
        assertThat(result.lost()).isPositive();
    }

    @RaceTest(timeoutMillis = 500)
    void synchronizedStillLosesADepositInAnInterleaving(Race race) {
        race.interleave();
        race.setup(() -> accounts.save(new Account(ID, 0)));
        race.op(() -> deposits.depositSynchronized(ID, 10));
        race.expect(Invariant.sum("balance", this::balance, 10));
        RaceResult result = race.run();
        System.out.println(result.message());
        assertThat(result.verdict()).isEqualTo(RaceResult.Verdict.FAIL);
        assertThat(result.lost()).isEqualTo(10);
    }

    @RaceTest
    void theRowLockLosesNothingInAnyInterleaving(Race race) {
        race.interleave();
        race.setup(() -> accounts.save(new Account(ID, 0)));
        race.op(() -> deposits.depositLocked(ID, 10));
        race.expect(Invariant.sum("balance", this::balance, 10));
        RaceResult result = race.run();
        assertThat(result.verdict()).as(result.message()).isEqualTo(RaceResult.Verdict.PASS);
        assertThat(result.outcomes().acknowledged()).isEqualTo(2);
    }

    @RaceTest(threads = 8, invocations = 400)
    void theRowLockLosesNothingUnderLoad(Race race) {
        race.setup(() -> accounts.save(new Account(ID, 0)));
        race.op(() -> deposits.depositLocked(ID, 10));
        race.expect(Invariant.sum("balance", this::balance, 10));
        RaceResult result = race.run();
        assertThat(result.verdict()).as(result.message()).isEqualTo(RaceResult.Verdict.PASS);
        assertThat(balance()).isEqualTo(4000);
    }
}
