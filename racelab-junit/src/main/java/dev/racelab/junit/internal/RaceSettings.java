package dev.racelab.junit.internal;

import dev.racelab.core.InvalidFieldException;
import dev.racelab.junit.RaceTest;
import java.time.Duration;

/** A {@link RaceTest}'s attributes, validated: a bad one throws naming the attribute. */
public record RaceSettings(int threads, int invocations, int interleaved, int schedules, long seed, long sampleSeed,
                           Duration timeout, int minOverlapped, int minInterleaved, Duration deadlockTimeout) {
    /** The most threads the default {@link RaceTest#minOverlapped()} asks to have overlapped. */
    static final int DEFAULT_OVERLAP_CAP = 8;

    public RaceSettings {
        atLeast("threads", threads, 1);
        atLeast("invocations", invocations, 1);
        atLeast("interleaved", interleaved, 1);
        atLeast("schedules", schedules, 1);
        if (seed < RaceTest.NONE) throw InvalidFieldException.must("seed", "must be >= 0 (a seed a failing schedule printed), was " + seed);
        if (timeout.isNegative() || timeout.isZero()) throw InvalidFieldException.must("timeoutMillis", "must be > 0, was " + timeout.toMillis());
        if (minOverlapped < RaceTest.AUTO) throw InvalidFieldException.must("minOverlapped", "must be >= 0, was " + minOverlapped);
        atLeast("minInterleaved", minInterleaved, 0);
        if (deadlockTimeout.isNegative()) throw InvalidFieldException.must("deadlockTimeoutMillis", "must be >= 0, was " + deadlockTimeout.toMillis());
    }

    /** The attributes with the contention thresholds at their defaults. */
    public RaceSettings(int threads, int invocations, int interleaved, int schedules, long seed, long sampleSeed, Duration timeout) {
        this(threads, invocations, interleaved, schedules, seed, sampleSeed, timeout, RaceTest.AUTO, 1, Duration.ofMillis(20));
    }

    public static RaceSettings of(RaceTest t) {
        return new RaceSettings(t.threads(), t.invocations(), t.interleaved(), t.schedules(), t.seed(), t.sampleSeed(),
                Duration.ofMillis(t.timeoutMillis()), t.minOverlapped(), t.minInterleaved(), Duration.ofMillis(t.deadlockTimeoutMillis()));
    }

    /** The overlapped acknowledged invocations a load race needs, with {@code threadsRan} threads. */
    long requiredOverlap(int threadsRan) {
        return minOverlapped == RaceTest.AUTO ? Math.min(threadsRan, DEFAULT_OVERLAP_CAP) : minOverlapped;
    }

    private static void atLeast(String field, long value, long min) {
        if (value < min) throw InvalidFieldException.must(field, "must be >= " + min + ", was " + value);
    }
}
