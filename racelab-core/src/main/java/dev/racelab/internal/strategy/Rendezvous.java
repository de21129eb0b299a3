package dev.racelab.internal.strategy;

import dev.racelab.core.Clock;
import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A read-write gap that holds each caller until {@code parties} callers have read, then lets
 * them all write: each of them read the same value, so a read-modify-write without protection
 * loses {@code parties - 1} updates per round, certainly. A round that does not fill within
 * {@code timeout} (the last few operations of a load, a load stopped early) goes on with the
 * callers it has, so nothing waits forever. With {@code loneRounds} given, the rendezvous
 * adapts to a strategy that may exclude: a round that times out with k > 1 callers makes k
 * the round's size (fewer threads still read: those that finished, or that a lock keeps out),
 * and a caller that waits out the timeout alone shows that no one else can read while it holds
 * its read; after {@code loneRounds} of those the rendezvous holds no one, as it then forces
 * nothing and only slows the load. A lock and a condition rather than a monitor, so virtual threads
 * waiting here never pin their carriers.
 */
final class Rendezvous implements ReadWriteGap {
    private int parties;
    private final boolean shrinks;
    private final long timeoutNanos;
    private final Clock clock;
    private int loneRoundsLeft;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition roundOver = lock.newCondition();
    private int arrived;
    private long round;

    Rendezvous(int parties, Duration timeout, Clock clock, int loneRounds) {
        if (parties < 2) throw new IllegalArgumentException("a rendezvous needs at least 2 parties, got " + parties);
        if (!timeout.isPositive()) throw new IllegalArgumentException("a rendezvous needs a positive timeout");
        if (loneRounds < 1) throw new IllegalArgumentException("a rendezvous needs at least 1 lone round, got " + loneRounds);
        this.parties = parties;
        this.timeoutNanos = timeout.toNanos();
        this.clock = clock;
        this.loneRoundsLeft = loneRounds;
        this.shrinks = loneRounds != Integer.MAX_VALUE;
    }

    @Override
    public void pause() {
        lock.lock();
        try {
            if (loneRoundsLeft == 0) return;
            long mine = round;
            if (++arrived >= parties) {
                endRound();
                return;
            }
            long deadline = clock.nanoTime() + timeoutNanos;
            while (round == mine) {
                long left = deadline - clock.nanoTime();
                if (left <= 0) {
                    if (shrinks) {
                        if (arrived == 1) loneRoundsLeft--;
                        else parties = arrived; // the readers that still come: rounds of them fill without waiting
                    }
                    endRound(); // the round will not fill: go on with whoever is here
                    return;
                }
                roundOver.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    private void endRound() {
        arrived = 0;
        round++;
        roundOver.signalAll();
    }
}
