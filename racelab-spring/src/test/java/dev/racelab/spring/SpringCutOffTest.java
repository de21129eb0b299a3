package dev.racelab.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racelab.junit.Invariant;
import dev.racelab.junit.Race;
import dev.racelab.junit.RaceResult;
import dev.racelab.junit.RaceTest;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.junit.jupiter.SpringJUnitConfig;

/**
 * Load mode in a Spring test: an invocation cut off by the timeout has its statement cancelled and its
 * connection closed before its thread goes on, so its row lock is not left behind (JDBC ignores interrupts,
 * and so does the code here, on purpose).
 */
@SpringJUnitConfig(Counters.App.class)
class SpringCutOffTest {
    static final long ID = 4;

    @Autowired
    Counters counters;

    /**
     * Invocation 1 locks the row in a @Transactional method, then waits past the timeout ignoring interrupts;
     * invocation 2 waits on the server for the row. Both are cut off, and when the race returns the row is free.
     */
    @RaceTest(threads = 2, invocations = 2, timeoutMillis = 300, minOverlapped = 0)
    void aCutOffInvocationsRowLockIsReleasedBeforeTheRaceGoesOn(Race race) throws Exception {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try {
            race.setup(() -> counters.reset(ID));
            race.op(inv -> {
                if (inv.index() == 0) {
                    counters.lockThen(ID, false, () -> {
                        held.countDown();
                        awaitIgnoringInterrupts(release);
                    });
                } else {
                    held.await(30, TimeUnit.SECONDS);
                    counters.lockThen(ID, false, () -> { });
                }
            });
            race.expect(Invariant.that("no invocation answered", o -> o.acknowledged() == 0));
            RaceResult result = race.run();
            assertThat(result.outcomes().unknown()).as(result.message()).isEqualTo(2);
            assertThat(result.message()).contains("racelab cancelled the unknown ones' statements and closed their connections");
            assertThat(counters.lockableNow(ID)).as("the row is free").isTrue();
        } finally {
            release.countDown();
        }
    }

    private static void awaitIgnoringInterrupts(CountDownLatch latch) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (latch.getCount() > 0 && System.nanoTime() < deadline) {
            try {
                latch.await(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException ignored) {
                // as JDBC does
            }
        }
    }
}
