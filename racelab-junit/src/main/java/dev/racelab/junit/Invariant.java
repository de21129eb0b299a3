package dev.racelab.junit;

import dev.racelab.junit.internal.invariants.ConservedInvariant;
import dev.racelab.junit.internal.invariants.CellInvariant;
import dev.racelab.junit.internal.invariants.EffectsInvariant;
import dev.racelab.junit.internal.invariants.OnceInvariant;
import dev.racelab.junit.internal.invariants.PredicateInvariant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
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
 * race.expect(Invariant.once("order", inv -> "order-" + inv % 5, () -> gateway.chargesByOrder()));  // effects, not answers
 * race.expect(Invariant.that("one charge per order", o -> gateway.charges() <= orders.count(),
 *         Invariant.show("charges", gateway::charges), Invariant.show("orders", orders::count)));
 * }</pre>
 */
public interface Invariant {
    /** A value read from the store: a balance, a stock level, a total. */
    @FunctionalInterface
    interface Reading {
        /**
         * Reads the value now.
         *
         * @return the value
         * @throws Exception if the read fails; the race then stops with it
         */
        long read() throws Exception;
    }

    /** A condition over how the invocations ended and whatever state it reads. */
    @FunctionalInterface
    interface Condition {
        /**
         * Judges the state after the race.
         *
         * @param outcomes how the invocations ended
         * @return true when the condition holds
         * @throws Exception if the condition cannot be judged, such as a failed read; the race then stops with it
         */
        boolean test(Outcomes outcomes) throws Exception;
    }

    /**
     * How many times an effect happened, per key, as the place it lands says: rows per idempotency key (a
     * {@code GROUP BY} count), charges per order recorded by a fake payment gateway.
     */
    @FunctionalInterface
    interface Effects {
        /**
         * Counts the effects now.
         *
         * @return each key's count of effects so far; a key with none may be left out; never null
         * @throws Exception if the read fails; the race then stops with it
         */
        Map<?, Long> count() throws Exception;
    }

    /**
     * A number that {@link #that(String, Condition, Shown...)} shows in its finding, read after the race.
     *
     * @param name  its name in the finding, such as {@code "charges"}
     * @param value reads it
     */
    record Shown(String name, Reading value) {
        /**
         * Checks the components.
         *
         * @throws IllegalArgumentException if {@code name} is null or blank or {@code value} is null
         */
        public Shown {
            if (name == null || name.isBlank()) throw new IllegalArgumentException("name must not be blank");
            if (value == null) throw new IllegalArgumentException("value must not be null");
        }
    }

    /** The second half of a check: judges the state after the race. */
    @FunctionalInterface
    interface Check {
        /**
         * Reads the state again and judges it against what {@link Invariant#start()} read.
         *
         * @param outcomes how the invocations ended
         * @return what the invariant found
         * @throws Exception if the read fails; the race then stops with it
         */
        Finding finish(Outcomes outcomes) throws Exception;
    }

    /**
     * Reads what the check needs before the race.
     *
     * @return the check that judges the state after the race
     * @throws Exception if the read fails; the race then stops with it
     */
    Check start() throws Exception;

    /**
     * Final == initial + delta x acknowledged, within what the unknown invocations may have added.
     *
     * @param name  the value's name in the finding, as in {@code "sum of balance"}
     * @param value reads the value
     * @param delta how much each acknowledged invocation changes the value; not 0
     * @return the invariant
     * @throws IllegalArgumentException if {@code name} is null or blank, {@code value} is null or {@code delta} is 0
     *                                  (use {@link #conserved} for a value that must not move)
     */
    static Invariant sum(String name, Reading value, long delta) {
        return CellInvariant.sum(name, value, delta);
    }

    /**
     * {@link #sum(String, Reading, long)} for "the value".
     *
     * @param value reads the value
     * @param delta how much each acknowledged invocation changes the value; not 0
     * @return the invariant
     * @throws IllegalArgumentException if {@code value} is null or {@code delta} is 0
     */
    static Invariant sum(Reading value, long delta) {
        return sum("the value", value, delta);
    }

    /**
     * Each acknowledged invocation takes {@code take}: the value never ends below 0, the
     * acknowledged takes never exceed what it had (oversold), and none of them is missing.
     *
     * @param name  the value's name in the finding, as in {@code "floor of stock"}
     * @param value reads the value
     * @param take  how much each acknowledged invocation takes; {@code > 0}
     * @return the invariant
     * @throws IllegalArgumentException if {@code name} is null or blank, {@code value} is null or {@code take <= 0}
     */
    static Invariant floor(String name, Reading value, long take) {
        return CellInvariant.floor(name, value, take);
    }

    /**
     * {@link #floor(String, Reading, long)} for "the stock".
     *
     * @param value reads the stock
     * @param take  how much each acknowledged invocation takes; {@code > 0}
     * @return the invariant
     * @throws IllegalArgumentException if {@code value} is null or {@code take <= 0}
     */
    static Invariant floor(Reading value, long take) {
        return floor("the stock", value, take);
    }

    /**
     * At most one acknowledged invocation per key; {@code keyOf} gives an invocation's key by its index.
     *
     * @param name  what a key is, in the finding, as in {@code "once per coupon"}
     * @param keyOf an invocation's key by its index; keys are compared with {@code equals}
     * @return the invariant
     * @throws IllegalArgumentException if {@code name} is null or blank or {@code keyOf} is null
     */
    static Invariant once(String name, IntFunction<?> keyOf) {
        return new OnceInvariant(name, keyOf);
    }

    /**
     * At most one effect per key, counted where the effect lands rather than by the acknowledged calls: the effects
     * each key gained during the race (read before and after) must be at most 1, whatever the invocations answered.
     *
     * @param name    what a key is, in the finding, as in {@code "once per order"}
     * @param effects counts the effects per key
     * @return the invariant
     * @throws IllegalArgumentException if {@code name} is null or blank or {@code effects} is null
     */
    static Invariant once(String name, Effects effects) {
        return new EffectsInvariant(name, null, effects);
    }

    /**
     * At most one effect per key, counted where the effect lands, and one for each key an acknowledged invocation
     * had: a charge made twice for one order is caught although one call failed, and an acknowledged order with no
     * charge as well. UNKNOWN invocations may or may not have had their effect.
     *
     * @param name    what a key is, in the finding, as in {@code "once per order"}
     * @param keyOf   an invocation's key by its index; keys are compared with {@code equals} to the keys of {@code effects}
     * @param effects counts the effects per key
     * @return the invariant
     * @throws IllegalArgumentException if {@code name} is null or blank or {@code effects} is null
     */
    static Invariant once(String name, IntFunction<?> keyOf, Effects effects) {
        if (keyOf == null) throw new IllegalArgumentException("keyOf must not be null");
        return new EffectsInvariant(name, keyOf, effects);
    }

    /**
     * A total over many rows that the operations only move around (transfers) stays what it was.
     *
     * @param name  the total's name in the finding, as in {@code "conserved total"}
     * @param total reads the total
     * @return the invariant
     * @throws IllegalArgumentException if {@code name} is null or blank or {@code total} is null
     */
    static Invariant conserved(String name, Reading total) {
        return new ConservedInvariant(name, total);
    }

    /**
     * A condition of your own over the final state: false is a FAIL named by {@code description}.
     *
     * @param description names the condition in the finding
     * @param condition   the condition; it may read the store and the outcomes
     * @return the invariant
     * @throws IllegalArgumentException if {@code description} is null or blank or {@code condition} is null
     */
    static Invariant that(String description, Condition condition) {
        return new PredicateInvariant(description, condition, List.of());
    }

    /**
     * A condition of your own, whose finding shows the numbers it is about, read after the race:
     * {@code "one charge per order (expected true, actual false) does not hold ...: charges = 3, orders = 2"}.
     *
     * @param description names the condition in the finding
     * @param condition   the condition; it may read the store and the outcomes
     * @param shown       the numbers to show, in this order
     * @return the invariant
     * @throws IllegalArgumentException if {@code description} is null or blank, {@code condition} is null, or {@code shown}
     *                                  is null or holds a null
     */
    static Invariant that(String description, Condition condition, Shown... shown) {
        if (shown == null || Arrays.asList(shown).contains(null)) throw new IllegalArgumentException("shown must not be or hold null");
        return new PredicateInvariant(description, condition, List.of(shown));
    }

    /**
     * A number to show in the finding of {@link #that(String, Condition, Shown...)}.
     *
     * @param name  its name, such as {@code "charges"}
     * @param value reads it after the race
     * @return the number to show
     * @throws IllegalArgumentException if {@code name} is null or blank or {@code value} is null
     */
    static Shown show(String name, Reading value) {
        return new Shown(name, value);
    }
}
