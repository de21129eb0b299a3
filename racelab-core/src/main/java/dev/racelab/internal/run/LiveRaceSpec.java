package dev.racelab.internal.run;

import dev.racelab.core.InvalidFieldException;
import java.util.Objects;

/**
 * What a person asks for on the live page: which race, which strategy, how many clients at
 * once and how many operations in all. Bounded, so one request cannot tie the server up:
 * every client runs at least one operation, and the total is at most {@link #MAX_OPERATIONS}.
 * Whether the strategy fits the server's store is for {@link LiveRaces} to say.
 */
public record LiveRaceSpec(LiveScenario scenario, String strategy, int concurrency, int operations) {
    public static final int MIN_CONCURRENCY = 1;
    public static final int MAX_CONCURRENCY = 1_000;
    public static final int MAX_OPERATIONS = 100_000;
    public static final int DEFAULT_CONCURRENCY = 8;
    public static final int DEFAULT_OPERATIONS = 2_000;

    public LiveRaceSpec {
        Objects.requireNonNull(scenario, "scenario");
        if (strategy == null || strategy.isBlank()) throw InvalidFieldException.about("strategy", "{field} is missing");
        if (concurrency < MIN_CONCURRENCY || concurrency > MAX_CONCURRENCY) {
            throw InvalidFieldException.must("concurrency", "must be between " + MIN_CONCURRENCY + " and "
                    + String.format("%,d", MAX_CONCURRENCY) + " clients, was " + String.format("%,d", concurrency));
        }
        if (operations < concurrency || operations > MAX_OPERATIONS) {
            throw InvalidFieldException.must("operations", "must be between the concurrency (" + concurrency + ", one per client) and "
                    + String.format("%,d", MAX_OPERATIONS) + ", was " + String.format("%,d", operations));
        }
    }

    /** Each client runs the same count, so the race runs {@code concurrency x perClient()} operations: at most the ones asked for. */
    public long perClient() {
        return operations / concurrency;
    }

    public long planned() {
        return perClient() * concurrency;
    }
}
