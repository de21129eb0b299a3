package dev.racelab.junit.internal;

import dev.racelab.core.Status;
import dev.racelab.internal.check.Overlap;
import dev.racelab.junit.Invocation;
import dev.racelab.junit.Outcomes;
import dev.racelab.junit.Race;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Load mode: {@code threads} threads of the test JVM, released together by a barrier, take the
 * invocations one at a time until all have run. Each invocation runs on its thread's own runner,
 * so one that outlives the timeout is cut off (interrupted) and counted UNKNOWN while its thread
 * goes on with a fresh runner.
 */
final class LoadRunner {
    private final int threads;
    private final int invocations;
    private final Duration timeout;
    private final Race.Attempt op;
    final Failures failures = new Failures();
    /** Each invocation's start and end (nanoTime on its runner), for the contention it achieved. */
    private long[] starts;
    private long[] ends;
    /** Invocations that returned false: refused, a loss the code under test chose, which raced as much as a success. */
    private boolean[] refused;
    /** Runners whose operation was cut off: the race waits a little for them before the final read. */
    private final List<ExecutorService> abandoned = new ArrayList<>();

    /** Ends what a cut-off invocation's thread holds (its statement, its connections), or does nothing. */
    private final Consumer<Thread> release;

    LoadRunner(int threads, int invocations, Duration timeout, Race.Attempt op, Consumer<Thread> release) {
        this.release = release;
        this.threads = Math.min(threads, invocations);
        this.invocations = invocations;
        this.timeout = timeout;
        this.op = op;
    }

    Outcomes race() throws InterruptedException {
        Status[] statuses = new Status[invocations];
        starts = new long[invocations];
        ends = new long[invocations];
        refused = new boolean[invocations];
        AtomicInteger next = new AtomicInteger();
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < threads; w++) {
            Thread t = new Thread(() -> work(start, next, statuses), "racelab-race-" + (w + 1));
            t.setDaemon(true);
            workers.add(t);
            t.start();
        }
        for (Thread t : workers) t.join();
        awaitAbandoned();
        for (int i = 0; i < statuses.length; i++) if (statuses[i] == null) statuses[i] = Status.UNKNOWN;
        return new Outcomes(Arrays.asList(statuses));
    }

    int threads() {
        return threads;
    }

    /** The invocations that returned: acknowledged, or refused by returning false. */
    List<Integer> answered(Outcomes outcomes) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < outcomes.invocations(); i++) if (outcomes.status(i) == Status.OK || refused[i]) out.add(i);
        return out;
    }

    /** Of the answered invocations, how many overlapped another answered one in time. */
    long overlapped(Outcomes outcomes) {
        List<Integer> answered = answered(outcomes);
        long[] s = new long[answered.size()];
        long[] e = new long[answered.size()];
        for (int k = 0; k < answered.size(); k++) {
            s[k] = starts[answered.get(k)];
            e[k] = ends[answered.get(k)];
        }
        return Overlap.overlapped(s, e);
    }

    private void work(CyclicBarrier start, AtomicInteger next, Status[] statuses) {
        ExecutorService runner = newRunner();
        try {
            start.await();
            for (int i = next.getAndIncrement(); i < invocations; i = next.getAndIncrement()) {
                int index = i;
                Thread[] on = new Thread[1];
                Future<Boolean> f = runner.submit(() -> {
                    synchronized (on) {
                        on[0] = Thread.currentThread();
                    }
                    starts[index] = System.nanoTime();
                    try {
                        return op.run(new Invocation(index));
                    } finally {
                        ends[index] = System.nanoTime();
                    }
                });
                try {
                    boolean ok = f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
                    statuses[index] = ok ? Status.OK : Status.FAIL;
                    if (!ok) {
                        failures.refused();
                        refused[index] = true;
                    }
                } catch (ExecutionException e) {
                    statuses[index] = Status.FAIL;
                    failures.add(e.getCause());
                } catch (TimeoutException e) {
                    statuses[index] = Status.UNKNOWN;
                    f.cancel(true);
                    Thread cut;
                    synchronized (on) {
                        cut = on[0];
                    }
                    // Before the next invocation starts: a cut-off one keeps its connection and row locks otherwise.
                    if (cut != null) release.accept(cut);
                    synchronized (abandoned) {
                        abandoned.add(runner);
                    }
                    runner.shutdown();
                    runner = newRunner();
                }
            }
        } catch (InterruptedException | BrokenBarrierException e) {
            Thread.currentThread().interrupt();
        } finally {
            runner.shutdown();
        }
    }

    /** Cut-off operations were interrupted; give them one more timeout to end before the invariants read the state. */
    private void awaitAbandoned() throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (abandoned) {
            for (ExecutorService e : abandoned) e.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
    }

    private static ExecutorService newRunner() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "racelab-op");
            t.setDaemon(true);
            return t;
        });
    }
}
