package dev.racelab.internal.run;

import dev.racelab.core.Status;
import dev.racelab.internal.history.OpRecord;
import dev.racelab.internal.report.RunResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * Builds a run's {@link RunResult.Series}: completions counted in fine steps as the history is
 * read, then merged into buckets long enough that a run of any length has at most
 * {@link #TARGET_BUCKETS} of them, so every result stays small.
 */
final class SeriesBuilder {
    static final int TARGET_BUCKETS = 120;
    private static final long STEP_MS = 50;
    private static final long[] BUCKET_MS = {100, 250, 500, 1_000, 2_000, 5_000, 10_000, 30_000, 60_000, 300_000, 600_000, 3_600_000};

    private final long originNanos;
    private long[] ops = new long[64];
    private long[] ok = new long[64];
    private int steps;

    /** {@code originNanos}: the first invoke of the run, the series' time zero. */
    SeriesBuilder(long originNanos) {
        this.originNanos = originNanos;
    }

    void add(OpRecord op) {
        int step = (int) Math.max(0, (op.completeNanos() - originNanos) / 1_000_000 / STEP_MS);
        if (step >= ops.length) {
            int size = Math.max(step + 1, ops.length * 2);
            ops = Arrays.copyOf(ops, size);
            ok = Arrays.copyOf(ok, size);
        }
        ops[step]++;
        if (op.status() == Status.OK) ok[step]++;
        steps = Math.max(steps, step + 1);
    }

    RunResult.Series build(long elapsedNanos, Histogram latencyMicros) {
        long lengthMs = Math.max(steps * STEP_MS, elapsedNanos / 1_000_000);
        long bucketMs = BUCKET_MS[BUCKET_MS.length - 1];
        for (long b : BUCKET_MS) {
            if (lengthMs <= b * TARGET_BUCKETS) {
                bucketMs = b;
                break;
            }
        }
        int perBucket = (int) Math.max(1, bucketMs / STEP_MS);
        int buckets = Math.max(1, (steps + perBucket - 1) / perBucket);
        List<Long> opsOut = new ArrayList<>(buckets);
        List<Long> okOut = new ArrayList<>(buckets);
        for (int b = 0; b < buckets; b++) {
            long o = 0;
            long k = 0;
            for (int s = b * perBucket; s < Math.min(steps, (b + 1) * perBucket); s++) {
                o += ops[s];
                k += ok[s];
            }
            opsOut.add(o);
            okOut.add(k);
        }
        return new RunResult.Series(bucketMs, opsOut, okOut, latency(latencyMicros));
    }

    /** 1-2-5 buckets in microseconds, from the first that holds an operation to the one that holds the slowest. */
    static List<RunResult.LatencyBucket> latency(Histogram micros) {
        List<RunResult.LatencyBucket> out = new ArrayList<>();
        if (micros.getTotalCount() == 0) return out;
        List<Long> bounds = new ArrayList<>();
        for (long decade = 1; bounds.isEmpty() || bounds.get(bounds.size() - 1) < micros.getMaxValue(); decade *= 10) {
            for (long m : new long[] {1, 2, 5}) bounds.add(decade * m);
        }
        long[] counts = new long[bounds.size()];
        for (HistogramIterationValue v : micros.recordedValues()) {
            long value = micros.highestEquivalentValue(v.getValueIteratedTo());
            int b = 0;
            while (b < bounds.size() - 1 && bounds.get(b) < value) b++;
            counts[b] += v.getCountAtValueIteratedTo();
        }
        int first = 0;
        while (counts[first] == 0) first++;
        int last = counts.length - 1;
        while (counts[last] == 0) last--;
        for (int b = first; b <= last; b++) out.add(new RunResult.LatencyBucket(bounds.get(b) / 1000.0, counts[b]));
        return out;
    }
}
