package dev.racelab.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A concurrency test is only as good as its workers' failures: one that throws in a worker
 * thread, or a worker that never finishes, must fail the test that started it.
 */
class WorkersTest {
    @Test
    void anAssertionThatFailsInAWorkerFailsTheRun() {
        assertThatThrownBy(() -> Workers.runTogether(4, Duration.ofSeconds(30), i -> {
            if (i == 2) throw new AssertionError("worker 2 saw a wrong answer");
        })).isInstanceOf(AssertionError.class).hasMessageContaining("worker 2 saw a wrong answer");
    }

    @Test
    void anExceptionInAWorkerFailsTheRun() {
        assertThatThrownBy(() -> Workers.runTogether(3, Duration.ofSeconds(30), i -> {
            if (i == 0) throw new IOException("connection reset");
        })).isInstanceOf(AssertionError.class).hasStackTraceContaining("connection reset");
    }

    /** The worker is held on a latch that only this test opens, after the run has given up on it. */
    @Test
    void aWorkerStillRunningAfterTheWaitFailsTheRun() {
        CountDownLatch release = new CountDownLatch(1);
        try {
            assertThatThrownBy(() -> Workers.runTogether(2, Duration.ofMillis(200), i -> {
                if (i == 1) release.await();
            })).isInstanceOf(AssertionError.class).hasMessageContaining("still running");
        } finally {
            release.countDown();
        }
    }

    @Test
    void everyWorkerRunsOnceWhenNoneFails() throws Exception {
        AtomicInteger ran = new AtomicInteger();
        Workers.runTogether(50, Duration.ofSeconds(30), i -> ran.incrementAndGet());
        assertThat(ran).hasValue(50);
    }
}
