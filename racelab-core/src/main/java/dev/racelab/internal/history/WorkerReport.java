package dev.racelab.internal.history;

import dev.racelab.core.StrategyStats;
import java.util.List;

/**
 * What one worker process hands back: its history, how long its load ran, and the first
 * unexpected error (with how many there were), so the user sees the cause, not just a count,
 * the most heap its JVM held at once (every heap pool's peak, summed, garbage included: an
 * upper bound), the most it held right after a collection during the load (its live set), and
 * what its strategy counted about its own work ({@link StrategyStats}: a combiner's batches).
 */
public record WorkerReport(int instance, long elapsedNanos, long errorCount, String firstError, long peakHeapBytes,
                           long liveHeapBytes, List<OpRecord> history, StrategyStats stats) {
    public WorkerReport {
        history = List.copyOf(history);
        firstError = firstError == null ? "" : firstError;
        if (stats == null) stats = StrategyStats.NONE;
    }

    /** A report whose strategy counted nothing. */
    public WorkerReport(int instance, long elapsedNanos, long errorCount, String firstError, long peakHeapBytes,
                        long liveHeapBytes, List<OpRecord> history) {
        this(instance, elapsedNanos, errorCount, firstError, peakHeapBytes, liveHeapBytes, history, StrategyStats.NONE);
    }
}
