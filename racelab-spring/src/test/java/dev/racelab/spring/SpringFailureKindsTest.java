package dev.racelab.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racelab.junit.FailureGroup;
import dev.racelab.junit.FailureKind;
import dev.racelab.junit.Invariant;
import dev.racelab.junit.Race;
import dev.racelab.junit.RaceResult;
import dev.racelab.junit.RaceTest;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.test.context.junit.jupiter.SpringJUnitConfig;

/**
 * Spring's exceptions are outcomes by kind: what Spring's translator made of the server's error
 * (an UncategorizedSQLException for NOWAIT, a DuplicateKeyException for a second insert) is counted by
 * the SQLSTATE beneath it, and an OptimisticLockingFailureException (Spring Data's
 * ObjectOptimisticLockingFailureException is one) by its class, with no Spring in racelab-junit.
 */
@SpringJUnitConfig(Counters.App.class)
class SpringFailureKindsTest {
    static final long ID = 3;

    @Autowired
    Counters counters;

    /** Invocation 1 holds the row lock until invocation 2's NOWAIT was refused: forced by two latches. */
    @RaceTest(threads = 2, invocations = 2, minOverlapped = 0)
    void aLockRefusedAtOnceIsLockNotAcquired(Race race) {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch tried = new CountDownLatch(1);
        race.setup(() -> counters.reset(ID));
        race.op(inv -> {
            if (inv.index() == 0) {
                counters.lockThen(ID, false, () -> {
                    held.countDown();
                    try {
                        tried.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            } else {
                held.await(30, TimeUnit.SECONDS);
                try {
                    counters.lockThen(ID, true, () -> { });
                } finally {
                    tried.countDown();
                }
            }
        });
        race.expect(Invariant.that("one got the lock", o -> o.acknowledged() == 1));
        RaceResult result = race.run();
        assertThat(result.failed(FailureKind.LOCK_NOT_ACQUIRED)).as(result.message()).isEqualTo(1);
        FailureGroup g = result.failures().getFirst();
        assertThat(g.sqlState()).isEqualTo("55P03");
        // Spring 7's JdbcTemplate leaves NOWAIT's error uncategorized: the SQLSTATE beneath it still names the kind.
        assertThat(g.exception()).isEqualTo("UncategorizedSQLException");
        assertThat(result.message()).contains("1 failed (lock not acquired, SQLSTATE 55P03, UncategorizedSQLException (1)");
    }

    @RaceTest(threads = 1, invocations = 4, minOverlapped = 0)
    void aDuplicateKeyIsAnIntegrityViolationAndAStaleVersionAnOptimisticLockFailure(Race race) {
        race.setup(() -> counters.reset(ID));
        race.op(inv -> {
            if (inv.index() < 3) counters.insert(ID);
            else throw new OptimisticLockingFailureException("Row was updated or deleted by another transaction");
        });
        race.expect(Invariant.that("nothing acknowledged", o -> o.acknowledged() == 0));
        RaceResult result = race.run();
        assertThat(result.failed(FailureKind.INTEGRITY)).as(result.message()).isEqualTo(3);
        assertThat(result.failed(FailureKind.OPTIMISTIC_LOCK)).isEqualTo(1);
        assertThat(result.message()).contains("integrity violation, SQLSTATE 23505, DuplicateKeyException (3)")
                .contains("optimistic lock failure, OptimisticLockingFailureException (1)");
    }
}
