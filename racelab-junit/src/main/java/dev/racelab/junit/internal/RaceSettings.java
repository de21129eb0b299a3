package dev.racelab.junit.internal;

import dev.racelab.core.InvalidFieldException;
import dev.racelab.junit.RaceTest;
import java.time.Duration;

/** A {@link RaceTest}'s attributes, validated: a bad one throws naming the attribute. */
public record RaceSettings(int threads, int invocations, int interleaved, int schedules, long seed, long sampleSeed,
                           Duration timeout) {
    public RaceSettings {
        atLeast("threads", threads, 1);
        atLeast("invocations", invocations, 1);
        atLeast("interleaved", interleaved, 1);
        atLeast("schedules", schedules, 1);
        if (seed < RaceTest.NONE) throw InvalidFieldException.must("seed", "must be >= 0 (a seed a failing schedule printed), was " + seed);
        if (timeout.isNegative() || timeout.isZero()) throw InvalidFieldException.must("timeoutMillis", "must be > 0, was " + timeout.toMillis());
    }

    public static RaceSettings of(RaceTest t) {
        return new RaceSettings(t.threads(), t.invocations(), t.interleaved(), t.schedules(), t.seed(), t.sampleSeed(),
                Duration.ofMillis(t.timeoutMillis()));
    }

    private static void atLeast(String field, long value, long min) {
        if (value < min) throw InvalidFieldException.must(field, "must be >= " + min + ", was " + value);
    }
}
