package dev.racelab.history;

import java.util.List;

/**
 * What one worker process hands back: its history, how long its load ran, and the first
 * unexpected error (with how many there were), so the user sees the cause, not just a count,
 * the most heap its JVM held at once (every heap pool's peak, summed, garbage included: an
 * upper bound), and the most it held right after a collection during the load (its live set).
 */
public record WorkerReport(int instance, long elapsedNanos, long errorCount, String firstError, long peakHeapBytes,
                           long liveHeapBytes, List<OpRecord> history) {
    public WorkerReport {
        history = List.copyOf(history);
        firstError = firstError == null ? "" : firstError;
    }
}
