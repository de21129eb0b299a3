package dev.racelab.junit.internal.invariants;

import static dev.racelab.junit.internal.invariants.Words.count;

import dev.racelab.junit.Finding;
import dev.racelab.junit.Invariant;

/**
 * A total that the operations only move around, as transfers move money: it must end where it
 * began, whatever the outcomes (a transfer that timed out must have moved both sides or neither).
 */
public final class ConservedInvariant implements Invariant {
    private final String name;
    private final Reading total;

    public ConservedInvariant(String name, Reading total) {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("name must not be blank");
        if (total == null) throw new IllegalArgumentException("total must not be null");
        this.name = name;
        this.total = total;
    }

    @Override
    public Check start() throws Exception {
        long initial = total.read();
        return outcomes -> {
            long actual = total.read();
            long off = Math.abs(actual - initial);
            String head = "conserved " + name + " (expected " + count(initial) + ", actual " + count(actual) + ", lost " + count(off) + ")";
            String words = actual == initial
                    ? name + " still holds " + count(initial) + ": the operations only moved it"
                    : name + " holds " + count(actual) + " in total, but the operations only move it: it should hold " + count(initial)
                            + "; two operations read the same value, and one overwrites the other's change";
            return new Finding("conserved " + name, actual == initial, count(initial), count(actual), off, head + ": " + words);
        };
    }

    @Override
    public String toString() {
        return "conserved " + name;
    }
}
