package dev.racelab.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** Workers of a concurrency test: virtual threads released together, then waited for. */
public final class Workers {
    private Workers() {
    }

    /** What worker {@code i} does; it fails by throwing (an AssertionError or any exception). */
    public interface Work {
        void run(int i) throws Exception;
    }

    /** Starts {@code count} workers, releases them at once, and waits up to {@code wait} for them. */
    public static void runTogether(int count, Duration wait, Work work) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        for (int i = 0; i < count; i++) {
            int worker = i;
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    go.await();
                    work.run(worker);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }));
        }
        go.countDown();
        for (Thread t : threads) t.join(wait.toMillis());
    }
}
