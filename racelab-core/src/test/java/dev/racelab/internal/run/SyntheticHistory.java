package dev.racelab.internal.run;

import dev.racelab.core.Change;
import dev.racelab.core.FailReason;
import dev.racelab.core.Operation;
import dev.racelab.core.Outcome;
import dev.racelab.core.Status;
import dev.racelab.internal.history.Journal;
import dev.racelab.internal.history.OpRecord;
import dev.racelab.internal.scenario.Scenario;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A counter's history made up for the checker: {@code completed} increments spread over
 * {@link #THREADS} threads, every 50th refused, then {@code inFlight} invoked and never answered
 * (a worker killed mid-run), written with the real {@link Journal} or kept as records.
 */
final class SyntheticHistory {
    static final int THREADS = 8;
    static final String KEY = "run-synthetic/counter:1";
    /** This JVM's clock, as a worker's: a journal keeps times from its own start, in fewer bytes the nearer they are. */
    private static final long START = System.nanoTime();

    private SyntheticHistory() {
    }

    static Operation op(long i) {
        return new Operation(Scenario.operationId(0, (int) (i % THREADS), i / THREADS), List.of(new Change(KEY, 1)), Operation.NO_FLOOR);
    }

    static long invokeNanos(long i) {
        return START + i * 1_000;
    }

    static long completeNanos(long i) {
        return invokeNanos(i) + 20_000 + (i % 7) * 1_000;
    }

    static Outcome outcome(long i) {
        return i % 50 == 0 ? Outcome.fail(FailReason.CONFLICT) : Outcome.ok().withRetries((int) (i % 3));
    }

    /** Increments acknowledged among the first {@code completed}. */
    static long acknowledged(long completed) {
        return completed - (completed + 49) / 50;
    }

    /**
     * The history in a journal, as a worker writes it; its last record is then cut short, as a
     * worker killed while writing leaves it (that operation was never seen invoked).
     */
    static void write(Path file, long completed, int inFlight) throws IOException {
        try (Journal journal = Journal.create(file, 0)) {
            for (long i = 0; i < completed; i++) {
                journal.invoked(op(i), invokeNanos(i));
                journal.completed(op(i).id(), completeNanos(i), outcome(i));
            }
            for (long i = completed; i < completed + inFlight + 1; i++) journal.invoked(op(i), invokeNanos(i));
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(raf.length() - 5); // into the last record's checksum
        }
    }

    /** The same history as records, the in-flight ones unknown, as the reader makes them. */
    static List<OpRecord> records(long completed, int inFlight) {
        List<OpRecord> records = new ArrayList<>();
        long last = completed == 0 ? 0 : completeNanos(completed - 1);
        for (long i = 0; i < completed; i++) {
            Outcome o = outcome(i);
            records.add(new OpRecord(op(i).id(), op(i).changes(), invokeNanos(i), completeNanos(i), o.status(), o.reason(), o.retries()));
        }
        for (long i = completed; i < completed + inFlight; i++) {
            records.add(new OpRecord(op(i).id(), op(i).changes(), invokeNanos(i), Math.max(invokeNanos(i), last), Status.UNKNOWN, null, 0));
        }
        return records;
    }
}
