package dev.racelab.internal.strategy;

import dev.racelab.core.InvalidFieldException;

/** A strategy's own knobs, validated when built: {@code slots}, the slot rows a sharded cell is spread over. */
public record StrategyOptions(int slots) {
    public static final int DEFAULT_SLOTS = 16;
    public static final int MAX_SLOTS = 1024;
    public static final StrategyOptions DEFAULT = new StrategyOptions(DEFAULT_SLOTS);

    public StrategyOptions {
        if (slots < 1 || slots > MAX_SLOTS) {
            throw InvalidFieldException.must("slots", "must be between 1 and " + MAX_SLOTS + ", was " + slots);
        }
    }

    public static StrategyOptions orDefault(StrategyOptions options) {
        return options == null ? DEFAULT : options;
    }
}
