package dev.racelab.internal.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.racelab.core.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The overlapping rendezvous holds each reader for a partner, and stops holding anyone once
 * enough readers waited out the timeout alone (a strategy that keeps the others out). Time
 * is a clock the test moves: a step of 1 s per reading puts every deadline in the past at once.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RendezvousTest {
    /** A clock that moves {@code step} nanoseconds each time it is read. */
    private static final class SteppingClock implements Clock {
        private final AtomicLong now = new AtomicLong();
        volatile long step;

        @Override
        public long nanoTime() {
            return now.addAndGet(step);
        }

        @Override
        public void sleep(Duration duration) {
            now.addAndGet(duration.toNanos());
        }
    }

    @Test
    void afterItsLoneRoundsTheGapHoldsNoOne() {
        SteppingClock clock = new SteppingClock();
        ReadWriteGap gap = ReadWriteGap.overlapping(2, Duration.ofMillis(100), clock, 2);
        clock.step = Duration.ofSeconds(1).toNanos();
        gap.pause(); // alone, past its deadline at once: lone round 1
        gap.pause(); // lone round 2: the last
        clock.step = 0; // from here a reader still held would wait for a partner for ever
        assertTimeoutPreemptively(Duration.ofSeconds(10), gap::pause, "a lone reader after the last lone round is not held");
    }

    @Test
    void aRoundThatTimesOutWithTwoOfThreeMakesRoundsOfTwo() throws Exception {
        SteppingClock clock = new SteppingClock();
        ReadWriteGap gap = ReadWriteGap.overlapping(3, Duration.ofMillis(100), clock, 1);
        Thread first = Thread.ofPlatform().start(gap::pause);
        Thread second = Thread.ofPlatform().start(gap::pause);
        awaitHeld(first);
        awaitHeld(second);
        clock.step = Duration.ofSeconds(1).toNanos(); // the third never comes: the round times out with two
        first.join(10_000);
        second.join(10_000);
        assertThat(first.isAlive() || second.isAlive()).isFalse();
        clock.step = 0;
        CompletableFuture<Void> partner = CompletableFuture.runAsync(gap::pause);
        gap.pause();
        partner.get(10, TimeUnit.SECONDS); // two fill the round now, with no deadline passing
    }

    private static void awaitHeld(Thread reader) {
        while (reader.getState() != Thread.State.TIMED_WAITING) {
            assertThat(reader.isAlive()).as("the reader is held for a partner, not let through").isTrue();
            Thread.onSpinWait();
        }
    }

    @Test
    void roundsThatFillDoNotCountAndTheGapStillHolds() throws Exception {
        SteppingClock clock = new SteppingClock(); // step 0: no deadline ever passes
        ReadWriteGap gap = ReadWriteGap.overlapping(2, Duration.ofMillis(100), clock, 1);
        for (int round = 0; round < 5; round++) {
            CompletableFuture<Void> partner = CompletableFuture.runAsync(gap::pause);
            gap.pause();
            partner.get(10, TimeUnit.SECONDS);
        }
        Thread held = Thread.ofPlatform().start(gap::pause);
        awaitHeld(held);
        gap.pause(); // the partner: both go on
        held.join(10_000);
        assertThat(held.isAlive()).isFalse();
    }
}
