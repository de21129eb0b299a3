package dev.racelab.junit;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * Failures counted by kind, SQLSTATE and exception, never by message: the errors come from the real
 * server (forced with two connections by {@link ServerErrors}), and a load race of deadlocking
 * transfers, paired by a barrier, counts every deadlock in one group although each message names
 * other process ids.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FailureKindsContract {
    HikariDataSource ds;
    ServerErrors errors;
    Accounts accounts;

    abstract String url();

    abstract boolean postgres();

    @BeforeAll
    void open() throws Exception {
        ds = RaceContract.pool(url(), 6);
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        errors = new ServerErrors(ds, "rl_kinds_" + suffix, postgres());
        accounts = new Accounts(ds, "rl_junit_" + suffix);
        accounts.create();
    }

    @AfterAll
    void close() throws Exception {
        if (errors != null) errors.close();
        if (accounts != null) accounts.drop();
        if (ds != null) ds.close();
    }

    /** Each invocation throws the next of the server's errors; the race passes nothing, its failures are what is judged. */
    private RaceResult raceThrowing(Race race, List<Exception> thrown) {
        race.op(inv -> {
            throw thrown.get(inv.index());
        });
        race.expect(Invariant.that("nothing acknowledged", o -> o.acknowledged() == 0));
        return race.run();
    }

    @RaceTest(threads = 1, invocations = 8, minOverlapped = 0)
    void serverErrorsAreCountedByKindAndSqlState(Race race) throws Exception {
        List<Exception> thrown = new ArrayList<>();
        thrown.add(errors.deadlock());
        thrown.add(errors.deadlock());
        thrown.add(errors.uniqueViolation());
        thrown.add(errors.uniqueViolation());
        thrown.add(errors.uniqueViolation());
        thrown.add(errors.nowait());
        thrown.add(postgres() ? errors.serializationFailure() : new SQLException("plain"));
        thrown.add(new IllegalStateException("sold out"));
        RaceResult result = raceThrowing(race, thrown);
        assertThat(result.failed(FailureKind.DEADLOCK)).isEqualTo(2);
        assertThat(result.failed(FailureKind.INTEGRITY)).isEqualTo(3);
        assertThat(result.failed(FailureKind.LOCK_NOT_ACQUIRED)).isEqualTo(1);
        assertThat(result.failed(FailureKind.SERIALIZATION)).isEqualTo(postgres() ? 1 : 0);
        assertThat(result.failed(FailureKind.OTHER)).isEqualTo(postgres() ? 1 : 2);
        FailureGroup deadlocks = result.failures().stream().filter(g -> g.kind() == FailureKind.DEADLOCK).findFirst().orElseThrow();
        assertThat(deadlocks.sqlState()).isEqualTo(postgres() ? "40P01" : "40001");
        assertThat(result.failures().getFirst().kind()).as("the largest group first").isEqualTo(FailureKind.INTEGRITY);
        assertThat(result.failures().getFirst().sqlState()).isEqualTo(postgres() ? "23505" : "23000");
        System.out.println(result.message());
    }

    /**
     * Transfers in both directions, paired by a barrier after each has locked its first account: every pair
     * deadlocks once, and the server's messages differ (process or thread ids), yet they make one group.
     */
    @RaceTest(threads = 2, invocations = 12, minOverlapped = 0)
    void deadlocksInARaceMakeOneGroupWhateverTheirMessages(Race race) {
        CyclicBarrier bothLocked = new CyclicBarrier(2);
        race.setup(() -> {
            accounts.reset(1, 1000);
            accounts.reset(2, 1000);
        });
        CyclicBarrier bothDone = new CyclicBarrier(2);
        race.op(inv -> {
            try {
                accounts.transfer(inv.index() % 2 == 0 ? 1 : 2, inv.index() % 2 == 0 ? 2 : 1, 10, postgres(),
                        () -> bothLocked.await(30, TimeUnit.SECONDS));
            } finally {
                // The next pair starts only when both ended: else the deadlock's victim could lock a row for its next
                // transfer that the survivor still waits for, and wait at the barrier for it.
                bothDone.await(30, TimeUnit.SECONDS);
            }
        });
        race.expect(Invariant.conserved("total", () -> accounts.balance(1) + accounts.balance(2)));
        RaceResult result = race.run();
        assertThat(result.failed(FailureKind.DEADLOCK)).as(result.message()).isEqualTo(6);
        assertThat(result.failures()).hasSize(1);
        assertThat(result.message()).contains("6 failed (deadlock, SQLSTATE " + (postgres() ? "40P01" : "40001") + ", ");
    }
}
