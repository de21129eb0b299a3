package dev.racelab.junit.internal.invariants;

import static dev.racelab.junit.internal.invariants.Words.things;

import dev.racelab.junit.Finding;
import dev.racelab.junit.Invariant;

/** A condition of the user's own over the final state and the outcomes. */
public final class PredicateInvariant implements Invariant {
    private final String description;
    private final Condition condition;

    public PredicateInvariant(String description, Condition condition) {
        if (description == null || description.isBlank()) throw new IllegalArgumentException("description must not be blank");
        if (condition == null) throw new IllegalArgumentException("condition must not be null");
        this.description = description;
        this.condition = condition;
    }

    @Override
    public Check start() {
        return outcomes -> {
            boolean holds = condition.test(outcomes);
            String after = "after " + things(outcomes.acknowledged(), "acknowledged operation") + ", " + outcomes.failed() + " failed and "
                    + outcomes.unknown() + " unknown";
            return new Finding(description, holds, "true", String.valueOf(holds), 0,
                    description + (holds ? " holds " : " (expected true, actual false) does not hold ") + after);
        };
    }

    @Override
    public String toString() {
        return description;
    }
}
