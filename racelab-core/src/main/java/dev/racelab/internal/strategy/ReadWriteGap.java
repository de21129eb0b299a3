package dev.racelab.internal.strategy;

import dev.racelab.core.Clock;
import java.time.Duration;

/**
 * What happens between a read and the write that depends on it. Seed 003 sleeps 100 ms
 * there to widen the race; tests put a barrier there to force two reads to interleave.
 */
@FunctionalInterface
public interface ReadWriteGap {
    void pause();

    ReadWriteGap NONE = () -> { };

    static ReadWriteGap sleeping(Clock clock, Duration think) {
        if (!think.isPositive()) return NONE;
        return () -> {
            try {
                clock.sleep(think);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    /**
     * Each caller waits between its read and its write until {@code parties} callers have read
     * (or {@code timeout} passed), so they all write what they read from the same value: a
     * certain interleaving, not a likely one.
     */
    static ReadWriteGap rendezvous(int parties, Duration timeout, Clock clock) {
        return new Rendezvous(parties, timeout, clock, Integer.MAX_VALUE);
    }

    /**
     * As {@link #rendezvous}, for a strategy that may exclude the others: a round that times out
     * with fewer callers than {@code parties} (but more than one) makes that the round's size, a
     * caller that waits out the timeout alone is evidence that no one else can read while it
     * holds its read, and after {@code loneRounds} of them the gap holds no one. A strategy that lets two read at once
     * meets its partner in every round, and loses as naive does if it then writes blindly.
     */
    static ReadWriteGap overlapping(int parties, Duration timeout, Clock clock, int loneRounds) {
        return new Rendezvous(parties, timeout, clock, loneRounds);
    }
}
