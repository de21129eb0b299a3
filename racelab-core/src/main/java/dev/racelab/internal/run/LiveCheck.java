package dev.racelab.internal.run;

import dev.racelab.core.RunAbortedException;
import dev.racelab.internal.check.StreamingChecker;
import dev.racelab.internal.history.Journal;
import dev.racelab.internal.history.JournalReader;
import dev.racelab.internal.history.OpRecord;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The workers' journals checked while the load runs, so that when it ends only their tail is
 * left to read. One thread, once a second, reads each journal up to the offset its worker last
 * published as complete ({@link Journal#publishCommitted}) and feeds the checker and the tally;
 * {@link #finish} stops it and reads the rest of every journal, in the fleet's order. What the
 * check gives is what {@link JournalHistories#read} gives after the load: each journal's
 * operations reach the checker in the order one pass would hand them over (a journal's
 * operations never completed last), and the tally sums them whatever their order. Only the
 * interleaving of two journals differs: the checker counts a guard key's operations in any
 * order, and of its inserts keeps the last one's changes, which every scenario makes the same
 * for all inserts of a key (an order is inserted once; a like always adds 1 to its post).
 *
 * <p>The series' time zero is the run's first invoke: nothing is fed before every journal there
 * is shows each of its threads (or has ended), then the earliest invoke among them is it. A
 * replacement started later invokes later, so it cannot move it.
 *
 * <p>Workers on other hosts ({@code --hosts}) write their journals there, fetched when they end:
 * their runs are checked after the load, as before.
 */
final class LiveCheck {
    private static final long EVERY_MS = 1_000;
    /** Passes that may look for the time zero before the check is left for after the load (a journal whose threads never all invoke). */
    private static final int ORIGIN_PASSES = 30;

    /** A journal followed, and whether its worker has ended (then it changes no more). */
    record Followed(Path file, java.util.function.BooleanSupplier ended) {
    }

    private final java.util.function.Supplier<List<Followed>> journals;
    private final int threads;
    private final StreamingChecker checker;
    /** Each journal being followed; the thread's until {@link #finish} joins it. */
    private final Map<Path, JournalReader.Tail> tails = new HashMap<>();
    private final CountDownLatch stop = new CountDownLatch(1);
    private Thread thread;
    private RunTally tally;
    private long fedLive;
    private int originPasses;
    private volatile long cpuNanos;
    private volatile Exception failure;

    /** @param journals the run's journals, in the fleet's order, replacements' added as they start (asked again on each pass) */
    LiveCheck(java.util.function.Supplier<List<Followed>> journals, int threads, StreamingChecker checker) {
        this.journals = journals;
        this.threads = threads;
        this.checker = checker;
    }

    void start() {
        thread = Thread.ofPlatform().daemon().name("racelab-live-check").start(this::follow);
    }

    private void follow() {
        try {
            while (!stop.await(EVERY_MS, TimeUnit.MILLISECONDS)) {
                pass();
                cpuNanos = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            failure = e;
        }
    }

    /** Each journal read up to where its worker says it is complete. */
    void pass() throws IOException {
        if (tally == null) {
            if (++originPasses > ORIGIN_PASSES) return; // reading each journal's head again each time would cost more and more
            OptionalLong origin = origin();
            if (origin.isEmpty()) return;
            tally = new RunTally(origin.getAsLong());
        }
        for (Followed f : journals.get()) {
            long upTo = JournalReader.committed(f.file());
            if (upTo == 0 || stop.getCount() == 0) continue; // nothing published yet; or the load is over: finish reads the rest
            JournalReader.Tail tail = tails.get(f.file());
            if (tail == null) {
                tail = JournalReader.Tail.open(f.file());
                tails.put(f.file(), tail);
            }
            tail.advance(upTo, this::feedLive);
        }
    }

    /** The run's first invoke, once every journal there is says it: each of its threads seen below its committed offset, or its worker ended. */
    private OptionalLong origin() throws IOException {
        long origin = Long.MAX_VALUE;
        for (Followed f : journals.get()) {
            if (!Files.exists(f.file())) return OptionalLong.empty();
            if (f.ended().getAsBoolean()) {
                origin = Math.min(origin, JournalReader.firstInvokeNanos(f.file(), threads));
                continue;
            }
            OptionalLong first = JournalReader.firstInvokeNanos(f.file(), threads, JournalReader.committed(f.file()));
            if (first.isEmpty()) return OptionalLong.empty();
            origin = Math.min(origin, first.getAsLong());
        }
        return origin == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(origin);
    }

    private void feedLive(OpRecord op) {
        feed(op);
        fedLive++;
    }

    private void feed(OpRecord op) {
        checker.accept(op);
        tally.accept(op);
    }

    /**
     * Stops following, then reads what is left of every journal (the workers have ended, and
     * remote journals are here), in the fleet's order; before the time zero was known, the whole
     * of each, as after any load.
     */
    JournalHistories finish() throws IOException, InterruptedException {
        stop.countDown();
        if (thread != null) thread.join();
        try {
            if (failure != null) throw new RunAbortedException("could not check the journals as the load ran: " + failure.getMessage(), failure);
            List<Path> files = journals.get().stream().map(Followed::file).toList();
            if (tally == null) return JournalHistories.read(files, threads, checker);
            JournalHistories read = new JournalHistories(tally);
            for (Path file : files) {
                JournalReader.Tail tail = tails.remove(file);
                if (tail == null) tail = JournalReader.Tail.open(file);
                read.contents.add(tail.finish(this::feed));
            }
            return read;
        } finally {
            for (JournalReader.Tail t : tails.values()) t.close();
        }
    }

    /** Stops following, if it still does, without reading further (after {@link #finish}, nothing is left to do). */
    void abandon() {
        stop.countDown();
        try {
            if (thread != null) thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (JournalReader.Tail t : tails.values()) {
            try {
                t.close();
            } catch (IOException ignored) {
                // the run's directory goes with it
            }
        }
        tails.clear();
    }

    /** Operations checked while the load ran. */
    long fedLive() {
        return fedLive;
    }

    /** The CPU time the following thread took while the load ran. */
    long cpuNanos() {
        return cpuNanos;
    }
}
