package dev.racelab.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Workers of a concurrency test: virtual threads released together, then waited for. A worker
 * that throws fails the run with what it threw, and so does one still running after the wait:
 * a failure in a worker thread would otherwise go to the uncaught handler and the test pass.
 */
public final class Workers {
    private Workers() {
    }

    /** What worker {@code i} does; it fails by throwing (an AssertionError or any exception). */
    public interface Work {
        void run(int i) throws Exception;
    }

    /** Starts {@code count} workers, releases them at once, and waits up to {@code wait} in all for them. */
    public static void runTogether(int count, Duration wait, Work work) throws InterruptedException {
        List<Future<Void>> workers = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        for (int i = 0; i < count; i++) {
            int worker = i;
            FutureTask<Void> task = new FutureTask<>(() -> {
                go.await();
                work.run(worker);
                return null;
            });
            Thread.ofVirtual().start(task);
            workers.add(task);
        }
        go.countDown();
        long deadline = System.nanoTime() + wait.toNanos();
        AssertionError failed = null;
        for (int i = 0; i < workers.size(); i++) {
            try {
                workers.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                failed = add(failed, new AssertionError("worker " + i + " failed: " + e.getCause(), e.getCause()));
            } catch (TimeoutException e) {
                failed = add(failed, new AssertionError("worker " + i + " is still running after " + wait.toMillis() + " ms"));
            }
        }
        if (failed != null) throw failed;
    }

    /** The first failure carries the others as suppressed ones. */
    private static AssertionError add(AssertionError first, AssertionError next) {
        if (first == null) return next;
        first.addSuppressed(next);
        return first;
    }
}
