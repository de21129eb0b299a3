package dev.racelab.run;

import java.util.List;

/**
 * What one worker process hands back: its history, how long its load ran, and the first
 * unexpected error (with how many there were), so the user sees the cause, not just a count,
 * and the most heap its JVM held at once (every heap pool's peak, summed: an upper bound).
 */
public record WorkerReport(int instance, long elapsedNanos, long errorCount, String firstError, long peakHeapBytes,
                           List<OpRecord> history) {
    public WorkerReport {
        history = List.copyOf(history);
        firstError = firstError == null ? "" : firstError;
    }
}
