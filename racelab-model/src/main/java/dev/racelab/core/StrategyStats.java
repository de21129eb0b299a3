package dev.racelab.core;

import java.util.Map;
import java.util.TreeMap;

/**
 * Figures a strategy keeps about its own work, by name: counts that add up across threads,
 * instances and worker processes ({@code sums}: how many batches it committed, how many
 * operations they carried), and largest values that do not add ({@code maxima}: the largest
 * batch). Reports derive what they show from them (a mean batch is a ratio of two sums).
 */
public record StrategyStats(Map<String, Long> sums, Map<String, Long> maxima) {
    public static final StrategyStats NONE = new StrategyStats(Map.of(), Map.of());
    /** Sum: the combined writes a batching strategy sent to the store. */
    public static final String BATCHES = "batches";
    /** Sum: the operations those writes carried. */
    public static final String BATCHED_OPS = "batchedOps";
    /** Maximum: the most operations one write carried. */
    public static final String MAX_BATCH = "maxBatch";

    public StrategyStats {
        sums = Map.copyOf(sums);
        maxima = Map.copyOf(maxima);
    }

    /** A batching strategy's figures. */
    public static StrategyStats batches(long batches, long batchedOps, long maxBatch) {
        return new StrategyStats(Map.of(BATCHES, batches, BATCHED_OPS, batchedOps), Map.of(MAX_BATCH, maxBatch));
    }

    /** Operations per combined write; null when the strategy sent no batches. */
    public Double meanBatch() {
        long batches = sum(BATCHES);
        return batches == 0 ? null : Math.round(sum(BATCHED_OPS) * 100.0 / batches) / 100.0;
    }

    /** The largest batch; null when the strategy sent no batches. */
    public Long maxBatch() {
        return sum(BATCHES) == 0 ? null : max(MAX_BATCH);
    }

    public boolean isEmpty() {
        return sums.isEmpty() && maxima.isEmpty();
    }

    public long sum(String name) {
        return sums.getOrDefault(name, 0L);
    }

    public long max(String name) {
        return maxima.getOrDefault(name, 0L);
    }

    /** Both workers' figures: sums added, maxima the larger. */
    public StrategyStats plus(StrategyStats other) {
        if (other.isEmpty()) return this;
        if (isEmpty()) return other;
        Map<String, Long> s = new TreeMap<>(sums);
        other.sums.forEach((k, v) -> s.merge(k, v, Long::sum));
        Map<String, Long> m = new TreeMap<>(maxima);
        other.maxima.forEach((k, v) -> m.merge(k, v, Math::max));
        return new StrategyStats(s, m);
    }
}
