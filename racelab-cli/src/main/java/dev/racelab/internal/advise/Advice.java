package dev.racelab.internal.advise;

import dev.racelab.internal.vocab.PassFail;
import java.util.List;

/**
 * The advisor's answer: the point of the measurements it rests on, the strategy to use (null
 * when none qualifies), the other strategies that qualify, ranked, what to avoid, and notes
 * (what was not measured, what it extrapolates). Every figure names the runs behind it.
 */
public record Advice(Workload workload, String source, MeasuredAt measuredAt, Pick recommendation, List<Pick> alternatives,
                     List<Avoid> avoid, List<String> notes) {
    public Advice {
        alternatives = List.copyOf(alternatives);
        avoid = List.copyOf(avoid);
        notes = List.copyOf(notes);
    }

    /**
     * The measured point the answer comes from: the nearest measured thread count and row count.
     * {@code exact} when both are what was asked; {@code extrapolated} when what was asked lies
     * outside the measured range (beyond the largest, below the smallest).
     */
    public record MeasuredAt(String store, int threads, int rows, boolean exact, boolean extrapolated, List<Integer> measuredThreads,
                             List<Integer> measuredRows) {
    }

    /** A strategy that qualifies, with the median figures of its runs at the point, and why. */
    public record Pick(String strategy, String reason, double medianGoodputPerSec, double medianOpsPerSec, double medianP99Ms,
                       double retriesPerOp, List<RunRef> runs) {
    }

    /** A strategy to stay away from for this workload, why, and the runs that show it (none when the rule needs no run). */
    public record Avoid(String strategy, String why, List<RunRef> runs) {
    }

    /** One run behind a figure: its file, verdict and figures. */
    public record RunRef(String file, PassFail verdict, int threads, int rows, double goodputPerSec, double opsPerSec, double p99Ms,
                         long lostUpdates, long oversold, long failed) {
    }

    public boolean recommends() {
        return recommendation != null;
    }
}
