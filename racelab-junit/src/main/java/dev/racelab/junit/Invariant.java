package dev.racelab.junit;

import dev.racelab.junit.internal.invariants.ConservedInvariant;
import dev.racelab.junit.internal.invariants.CellInvariant;
import dev.racelab.junit.internal.invariants.OnceInvariant;
import dev.racelab.junit.internal.invariants.PredicateInvariant;
import java.util.function.IntFunction;

/**
 * What must hold after a race. {@link #start()} reads the state after the setup; its {@link
 * Check#finish} reads it again after the race and judges it against how the invocations ended.
 * UNKNOWN invocations (cut off by the timeout) widen the bounds, as racelab's checker does.
 *
 * <pre>{@code
 * race.expect(Invariant.sum("balance", () -> accounts.balance(1), 10));      // +10 per acknowledged deposit
 * race.expect(Invariant.floor("stock", () -> stock.left(7), 1));             // never below 0, never oversold
 * race.expect(Invariant.once("coupon", inv -> "code-" + inv % 5));           // at most one success per key
 * race.expect(Invariant.conserved("total", () -> accounts.total()));         // transfers only move money
 * race.expect(Invariant.that("no order without stock", o -> orders.count() <= 10));
 * }</pre>
 */
public interface Invariant {
    /** A value read from the store: a balance, a stock level, a total. */
    @FunctionalInterface
    interface Reading {
        long read() throws Exception;
    }

    /** A condition over how the invocations ended and whatever state it reads. */
    @FunctionalInterface
    interface Condition {
        boolean test(Outcomes outcomes) throws Exception;
    }

    /** The second half of a check: judges the state after the race. */
    @FunctionalInterface
    interface Check {
        Finding finish(Outcomes outcomes) throws Exception;
    }

    /** Reads what the check needs before the race. */
    Check start() throws Exception;

    /** Final == initial + delta x acknowledged, within what the unknown invocations may have added. */
    static Invariant sum(String name, Reading value, long delta) {
        return CellInvariant.sum(name, value, delta);
    }

    /** {@link #sum(String, Reading, long)} for "the value". */
    static Invariant sum(Reading value, long delta) {
        return sum("the value", value, delta);
    }

    /**
     * Each acknowledged invocation takes {@code take}: the value never ends below 0, the
     * acknowledged takes never exceed what it had (oversold), and none of them is missing.
     */
    static Invariant floor(String name, Reading value, long take) {
        return CellInvariant.floor(name, value, take);
    }

    /** {@link #floor(String, Reading, long)} for "the stock". */
    static Invariant floor(Reading value, long take) {
        return floor("the stock", value, take);
    }

    /** At most one acknowledged invocation per key; {@code keyOf} gives an invocation's key by its index. */
    static Invariant once(String name, IntFunction<?> keyOf) {
        return new OnceInvariant(name, keyOf);
    }

    /** A total over many rows that the operations only move around (transfers) stays what it was. */
    static Invariant conserved(String name, Reading total) {
        return new ConservedInvariant(name, total);
    }

    /** A condition of your own over the final state: false is a FAIL named by {@code description}. */
    static Invariant that(String description, Condition condition) {
        return new PredicateInvariant(description, condition);
    }
}
