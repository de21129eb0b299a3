package dev.racelab.examples.bank;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.racelab.core.Status;
import dev.racelab.junit.Invariant;
import dev.racelab.junit.Race;
import dev.racelab.junit.RaceResult;
import dev.racelab.junit.RaceTest;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/** Transfers raced on PostgreSQL: the money is conserved, no account goes below 0, opposite transfers never deadlock. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TransferRaceTest {
    /** Each invocation's pair of accounts, by index: every direction between three accounts. */
    static final long[][] PAIRS = {{1, 2}, {2, 1}, {2, 3}, {3, 2}, {3, 1}, {1, 3}};

    HikariDataSource ds;
    AccountRepository accounts;

    @BeforeAll
    void open() throws Exception {
        ds = BankDatabase.pool(10);
        accounts = new AccountRepository(ds, BankDatabase.freshTable());
        accounts.create();
    }

    @AfterAll
    void close() throws Exception {
        if (accounts != null) accounts.drop();
        if (ds != null) ds.close();
    }

    @RaceTest(threads = 8, invocations = 300)
    void transfersInEveryDirectionConserveTheMoneyAndNeverOverdraw(Race race) {
        AtomicInteger refused = new AtomicInteger();
        race.setup(() -> {
            for (long id = 1; id <= 3; id++) accounts.reset(id, 100);
        });
        race.attempt(inv -> {
            long[] pair = PAIRS[inv.index() % PAIRS.length];
            TransferOutcome t = accounts.transfer(pair[0], pair[1], 40);
            if (t == TransferOutcome.INSUFFICIENT_FUNDS) refused.incrementAndGet();
            return t == TransferOutcome.TRANSFERRED;
        });
        race.expect(Invariant.conserved("money", accounts::total));
        race.expect(Invariant.that("no account below 0", o -> accounts.lowestBalance() >= 0));
        // A deadlock or any other error would be a failure that is not a refusal.
        race.expect(Invariant.that("every failed transfer was a refused overdraft", o -> o.failed() == refused.get()));
        RaceResult result = race.run();
        assertThat(result.verdict()).as(result.message()).isEqualTo(RaceResult.Verdict.PASS);
        assertThat(result.outcomes().acknowledged()).isPositive();
    }

    /** 100 covers three transfers of 30: exactly three go through, whatever the order, and 10 is left. */
    @RaceTest(threads = 8, invocations = 40)
    void onlyTheTransfersTheBalanceCoversGoThrough(Race race) {
        race.setup(() -> {
            accounts.reset(1, 100);
            accounts.reset(2, 0);
        });
        race.attempt(inv -> accounts.transfer(1, 2, 30) == TransferOutcome.TRANSFERRED);
        race.expect(Invariant.conserved("money", accounts::total));
        race.expect(Invariant.that("exactly 3 transfers of 30 out of 100 went through, leaving 10",
                o -> o.acknowledged() == 3 && accounts.balance(1) == 10 && accounts.balance(2) == 90));
    }

    /**
     * Two opposite transfers, step by step, in every order racelab samples: 1 → 2 then 2 → 1 both
     * go through; 2 → 1 first finds 50 &lt; 80 and is refused. The money is conserved in each.
     */
    @RaceTest
    void oppositeTransfersConserveTheMoneyInEveryInterleaving(Race race) {
        RaceResult result = oppositeTransfers(race);
        assertThat(result.verdict()).as(result.message()).isEqualTo(RaceResult.Verdict.PASS);
        assertThat(result.schedulesRun()).isGreaterThan(1);
    }

    /**
     * Seed 14: 1 connects, 2 connects, 1 locks account 1, 2 asks for account 1 too. Both lock
     * account 1 first (id order), so 2 waits for 1's commit (seen in pg_blocking_pids) instead of
     * holding account 2 and deadlocking; then it goes through on what 1 left.
     */
    @RaceTest(seed = 14)
    void theSecondTransferQueuesBehindTheFirstsLock(Race race) {
        RaceResult result = oppositeTransfers(race);
        System.out.println(result.message());
        assertThat(result.verdict()).as(result.message()).isEqualTo(RaceResult.Verdict.PASS);
        String schedule = String.join("\n", result.schedule());
        assertThat(schedule).containsPattern("invocation 2 waits for a lock[^\\n]*: SELECT balance FROM \\S+ WHERE id = \\? FOR UPDATE \\[1\\]");
        assertThat(schedule.indexOf("invocation 1, transaction 1: commit")).isGreaterThan(schedule.indexOf("invocation 2 waits for"));
        assertThat(result.outcomes().acknowledged()).as("both transfers went through").isEqualTo(2);
    }

    private RaceResult oppositeTransfers(Race race) {
        AccountRepository through = new AccountRepository(race.interleave(ds), accounts.table());
        race.setup(() -> {
            accounts.reset(1, 100);
            accounts.reset(2, 50);
        });
        race.attempt(inv -> (inv.index() == 0 ? through.transfer(1, 2, 80) : through.transfer(2, 1, 80)) == TransferOutcome.TRANSFERRED);
        race.expect(Invariant.conserved("money", accounts::total));
        race.expect(Invariant.that("no account below 0", o -> accounts.lowestBalance() >= 0));
        race.expect(Invariant.that("the transfer out of account 1 always goes through", o -> o.status(0) == Status.OK));
        return race.run();
    }
}
