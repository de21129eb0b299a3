package dev.racelab.internal.run;

import dev.racelab.core.Clock;
import dev.racelab.core.FailReason;
import dev.racelab.core.Operation;
import dev.racelab.core.Outcome;
import dev.racelab.core.Status;
import dev.racelab.core.StrategyStats;
import dev.racelab.internal.strategy.Strategy;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Wraps a live race's strategy and counts, as the load runs, what the page shows: operations
 * in flight, their outcomes, the deltas acknowledged, retries, and each interval's latencies.
 * It only watches: the outcome it returns is the strategy's, so the history and the checker's
 * verdict are what they would be without it. A call that throws is counted as done and
 * rethrown, for the load loop to record as it always does.
 */
final class RaceMeter implements Strategy {
    private final Strategy strategy;
    private final Clock clock;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final LongAdder done = new LongAdder();
    private final LongAdder ok = new LongAdder();
    private final LongAdder acknowledgedDelta = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final LongAdder unknown = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder[] failed = new LongAdder[FailReason.values().length];
    private final Recorder latencyMicros = new Recorder(3);

    RaceMeter(Strategy strategy, Clock clock) {
        this.strategy = strategy;
        this.clock = clock;
        for (int i = 0; i < failed.length; i++) failed[i] = new LongAdder();
    }

    @Override
    public Outcome apply(Operation op) {
        inFlight.incrementAndGet();
        long start = clock.nanoTime();
        Outcome outcome = null;
        try {
            outcome = strategy.apply(op);
            return outcome;
        } finally {
            latencyMicros.recordValue(Math.max(1, (clock.nanoTime() - start) / 1_000));
            count(op, outcome);
            inFlight.decrementAndGet();
        }
    }

    private void count(Operation op, Outcome outcome) {
        if (outcome == null) {
            errors.increment(); // the loop records it as failed or unknown; either way it was not acknowledged
        } else {
            retries.add(outcome.retries());
            if (outcome.status() == Status.OK) {
                ok.increment();
                acknowledgedDelta.add(op.changes().get(0).delta());
            } else if (outcome.status() == Status.UNKNOWN) {
                unknown.increment();
            } else {
                failed[outcome.reason().ordinal()].increment();
            }
        }
        done.increment();
    }

    @Override
    public StrategyStats stats() {
        return strategy.stats();
    }

    int inFlight() {
        return inFlight.get();
    }

    long done() {
        return done.sum();
    }

    long ok() {
        return ok.sum();
    }

    /** The sum of the deltas of every acknowledged operation (live races change one cell per operation). */
    long acknowledgedDelta() {
        return acknowledgedDelta.sum();
    }

    long retries() {
        return retries.sum();
    }

    long unknown() {
        return unknown.sum();
    }

    /** Calls the store failed with an error (not a lost race): the history has them as failed or unknown. */
    long errors() {
        return errors.sum();
    }

    long failed(FailReason reason) {
        return failed[reason.ordinal()].sum();
    }

    /** The latencies recorded since the last call. */
    Histogram takeInterval() {
        return latencyMicros.getIntervalHistogram();
    }
}
