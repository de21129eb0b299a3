package dev.racelab.internal.run;

import dev.racelab.internal.history.OpRecord;
import dev.racelab.internal.history.WorkerReport;
import dev.racelab.core.Clock;
import dev.racelab.core.FailReason;
import dev.racelab.core.Operation;
import dev.racelab.core.Outcome;
import dev.racelab.core.StoreException;
import dev.racelab.internal.scenario.Scenario;
import dev.racelab.internal.history.Journal;
import dev.racelab.internal.strategy.Strategy;
import java.util.Map;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * One instance's load: {@code threads} threads, each invoking {@code iterations}
 * operations through the strategy and recording every one. An unexpected store error is
 * recorded (FAIL, or UNKNOWN when the write may have landed), the thread backs off briefly, and
 * the loop goes on: a store that restarts comes back within seconds. When
 * {@link #ERROR_LIMIT} errors came and nothing succeeded for {@link #GIVE_UP_AFTER}, the store
 * is clearly not answering, and the loop stops invoking.
 */
public final class LoadLoop {
    public static final int ERROR_LIMIT = 100;
    public static final Duration GIVE_UP_AFTER = Duration.ofSeconds(30);
    /** After an error, a thread waits this long before its next operation, so a store that is down is not flooded. */
    private static final Duration ERROR_BACKOFF = Duration.ofMillis(20);
    public static final int PLATFORM_THREAD_LIMIT = 256;

    private final Scenario scenario;
    private final String prefix;
    private final int instance;
    private final Strategy strategy;
    private final Clock clock;
    private final boolean multiplexedStore;
    private final LongAdder completed = new LongAdder();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicReference<String> firstError = new AtomicReference<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private volatile long lastAnswerNanos;
    private Journal journal;
    private Holds holds;
    private Map<Integer, Long> firstSeq = Map.of();

    /** {@code multiplexedStore}: the store shares connections among callers ({@link dev.racelab.store.Store#multiplexed}). */
    public LoadLoop(Scenario scenario, String prefix, int instance, Strategy strategy, Clock clock, boolean multiplexedStore) {
        this.multiplexedStore = multiplexedStore;
        this.scenario = scenario;
        this.prefix = prefix;
        this.instance = instance;
        this.strategy = strategy;
        this.clock = clock;
    }

    /** Operations completed so far, for progress lines. */
    public long completed() {
        return completed.sum();
    }

    /** What the strategy has counted about its own work so far (a combiner's batches). */
    public dev.racelab.core.StrategyStats strategyStats() {
        return strategy.stats();
    }

    /** Runs the load and keeps its history in memory (in-process tests and tools). */
    public WorkerReport run(int threads, long iterations) throws InterruptedException {
        return drive(threads, iterations, true);
    }

    /**
     * Runs the load with its history streamed to {@code journal} as it happens, none kept in
     * memory, so a worker killed at any moment leaves what it did. {@code firstSeq}: per thread,
     * the first sequence number to invoke (a replacement resumes where a killed worker stopped).
     * The report's history is empty: the journal holds it.
     */
    WorkerReport run(int threads, long iterations, Journal journal, Holds holds, Map<Integer, Long> firstSeq)
            throws InterruptedException {
        this.journal = journal;
        this.holds = holds;
        this.firstSeq = Map.copyOf(firstSeq);
        return drive(threads, iterations, false);
    }

    /**
     * Runs the load for {@code length} without recording it, so the JIT compiles the hot path
     * before a measured run. Build this loop on scratch cells: its writes are not checked.
     */
    public void warmUp(int threads, Duration length) throws InterruptedException {
        Thread stopper = stopAfter(length);
        drive(threads, Long.MAX_VALUE, false);
        stopper.interrupt();
    }

    /** A timed load in this process, its history kept in memory: each thread invokes until {@code length} has passed. */
    public WorkerReport runFor(int threads, Duration length) throws InterruptedException {
        Thread stopper = stopAfter(length);
        WorkerReport report = drive(threads, RunSpec.timedCeiling(threads), true);
        stopper.interrupt();
        return report;
    }

    /**
     * Ends the load: every thread finishes the operation it is in and invokes no other. A timed
     * run's coordinator sends this at its deadline, so every worker process stops on one clock.
     */
    public void stop() {
        stop.set(true);
    }

    private Thread stopAfter(Duration length) {
        return Thread.ofVirtual().start(() -> {
            try {
                clock.sleep(length);
            } catch (InterruptedException e) {
                return; // the loop ended first
            }
            stop.set(true);
        });
    }

    private WorkerReport drive(int threads, long iterations, boolean record) throws InterruptedException {
        List<List<OpRecord>> perThread = new ArrayList<>(threads);
        List<Thread> running = new ArrayList<>(threads);
        CountDownLatch gate = new CountDownLatch(1); // every thread starts together, not as it is created
        for (int t = 0; t < threads; t++) {
            List<OpRecord> records = record ? new ArrayList<>((int) Math.min(iterations, 1 << 20)) : null;
            if (record) perThread.add(records);
            int thread = t;
            running.add(threadBuilder(threads, multiplexedStore).name("racelab-" + instance + "-" + t).start(() -> {
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                loop(thread, iterations, records);
            }));
        }
        long live;
        long elapsed;
        try (HeapWatch heap = HeapWatch.start()) {
            long start = clock.nanoTime();
            gate.countDown();
            for (Thread t : running) t.join();
            elapsed = clock.nanoTime() - start;
            live = heap.liveBytes();
        }
        List<OpRecord> history = new ArrayList<>();
        perThread.forEach(history::addAll);
        return new WorkerReport(instance, elapsed, errors.get(), firstError.get(), peakHeapBytes(), live, history, strategy.stats());
    }

    /** The heap pools' peaks since the JVM started, summed: never below the true peak. */
    static long peakHeapBytes() {
        return java.lang.management.ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == java.lang.management.MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    }

    /**
     * Up to {@link #PLATFORM_THREAD_LIMIT} threads are platform threads when each owns one
     * blocking connection: a virtual thread would only add the poller's hand-off to every round
     * trip. Beyond that (thousands of clients) virtual threads keep memory flat. On a store
     * whose callers share a pipelined connection, virtual threads from two callers on: a caller
     * wakes when its answer arrives without an OS thread switch (measured on Redis at 16
     * callers: 7.7 us of client CPU per operation against 20 us on platform threads). A lone
     * caller has nothing to share, and on a virtual thread it parks a carrier and turns the
     * socket non-blocking each operation: on Redis a platform thread took 36-41 us of CPU an
     * operation against 48-58 us (docs/BENCHMARKS.md, Redis Lua at one caller).
     */
    static Thread.Builder threadBuilder(int threads, boolean multiplexedStore) {
        return threads <= PLATFORM_THREAD_LIMIT && (!multiplexedStore || threads == 1)
                ? Thread.ofPlatform().stackSize(256 * 1024) : Thread.ofVirtual();
    }

    private void loop(int thread, long iterations, List<OpRecord> records) {
        for (long seq = firstSeq.getOrDefault(thread, 0L); seq < iterations && !stop.get(); seq++) {
            Operation op = scenario.operation(prefix, instance, thread, seq);
            long invoke = clock.nanoTime();
            if (journal != null) journal.invoked(op, invoke); // in the page cache before the store sees the operation
            if (holds != null) holds.applying(op);
            Outcome outcome = invoke(op);
            // Only an acknowledged outcome was surely applied: a refusal or an unknown would make
            // kill-worker's "applied and never acknowledged" untrue.
            if (holds != null && outcome.isOk()) holds.at(dev.racelab.internal.process.HoldMoment.APPLIED);
            long complete = clock.nanoTime();
            if (journal != null) journal.completed(op.id(), complete, outcome);
            if (records != null) records.add(new OpRecord(op.id(), op.changes(), op.guard(), op.releasesGuard(), invoke, complete,
                    outcome.status(), outcome.reason(), outcome.retries()));
            completed.increment();
        }
    }

    private Outcome invoke(Operation op) {
        try {
            Outcome outcome = strategy.apply(op);
            lastAnswerNanos = clock.nanoTime();
            return outcome;
        } catch (StoreException e) {
            noteError(e);
            return e.maybeApplied() ? Outcome.unknown() : Outcome.fail(FailReason.ERROR);
        } catch (RuntimeException e) {
            // Not a store error we understand: we cannot say whether the write landed.
            noteError(e);
            return Outcome.unknown();
        }
    }

    private void noteError(RuntimeException e) {
        firstError.compareAndSet(null, e.getClass().getSimpleName() + ": " + e.getMessage());
        long now = clock.nanoTime();
        if (lastAnswerNanos == 0) lastAnswerNanos = now;
        if (errors.incrementAndGet() >= ERROR_LIMIT && now - lastAnswerNanos > GIVE_UP_AFTER.toNanos()) stop.set(true);
        try {
            clock.sleep(ERROR_BACKOFF);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            stop.set(true);
        }
    }
}
