package dev.racelab.internal.run;

import dev.racelab.core.FailReason;
import dev.racelab.internal.history.OpRecord;
import org.HdrHistogram.Histogram;

/**
 * The figures a result shows, gathered one operation at a time as a history is read, so a run
 * of any length is summed in bounded memory: counts by outcome, retries, the latency histogram
 * (HdrHistogram at 3 significant digits: its percentiles are within 0.1% of the exact ones,
 * whatever the count) and the throughput series (fixed steps of time, see {@link SeriesBuilder}).
 */
final class RunTally {
    final Histogram latencyMicros = new Histogram(3);
    final SeriesBuilder series;
    final long[] failed = new long[FailReason.values().length];
    long invoked;
    long ok;
    long unknown;
    long retries;

    /** {@code originNanos}: the run's first invoke, the series' time zero. */
    RunTally(long originNanos) {
        this.series = new SeriesBuilder(originNanos);
    }

    void accept(OpRecord op) {
        series.add(op);
        invoked++;
        retries += op.retries();
        latencyMicros.recordValue(Math.max(1, op.latencyNanos() / 1_000));
        switch (op.status()) {
            case OK -> ok++;
            case UNKNOWN -> unknown++;
            case FAIL -> failed[op.reason().ordinal()]++;
        }
    }
}
