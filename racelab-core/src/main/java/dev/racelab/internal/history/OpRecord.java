package dev.racelab.internal.history;

import dev.racelab.core.Change;
import dev.racelab.core.FailReason;
import dev.racelab.core.Status;
import java.util.List;
import java.util.Objects;

/**
 * One history entry: an operation from its invocation to its completion. Times are one
 * process's nanoTime, so only their difference (the latency) means anything across processes.
 * {@code guard} is the operation's guard row (its order), or null; {@code releasesGuard} when
 * the operation deletes that row instead of writing it.
 */
public record OpRecord(long id, List<Change> changes, String guard, boolean releasesGuard, long invokeNanos,
                       long completeNanos, Status status, FailReason reason, int retries) {
    public OpRecord {
        changes = List.copyOf(changes);
        Objects.requireNonNull(status, "status");
        if (completeNanos < invokeNanos) throw new IllegalArgumentException("an operation cannot end before it starts");
        if ((status == Status.FAIL) != (reason != null)) throw new IllegalArgumentException("only a failure has a reason");
    }

    /** A record of an operation without a guard. */
    public OpRecord(long id, List<Change> changes, long invokeNanos, long completeNanos, Status status, FailReason reason,
                    int retries) {
        this(id, changes, null, false, invokeNanos, completeNanos, status, reason, retries);
    }

    public long latencyNanos() {
        return completeNanos - invokeNanos;
    }
}
