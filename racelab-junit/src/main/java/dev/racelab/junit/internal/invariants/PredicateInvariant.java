package dev.racelab.junit.internal.invariants;

import static dev.racelab.junit.internal.invariants.Words.things;

import dev.racelab.junit.Finding;
import dev.racelab.junit.Invariant;
import java.util.ArrayList;
import java.util.List;

/** A condition of the user's own over the final state and the outcomes. */
public final class PredicateInvariant implements Invariant {
    private final String description;
    private final Condition condition;
    private final List<Shown> shown;

    public PredicateInvariant(String description, Condition condition, List<Shown> shown) {
        this.shown = List.copyOf(shown);
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
            List<String> numbers = new ArrayList<>();
            for (Shown s : shown) numbers.add(s.name() + " = " + Words.count(s.value().read()));
            String with = numbers.isEmpty() ? "" : ": " + String.join(", ", numbers);
            return new Finding(description, holds, "true", String.valueOf(holds), 0,
                    description + (holds ? " holds " : " (expected true, actual false) does not hold ") + after + with);
        };
    }

    @Override
    public String toString() {
        return description;
    }
}
