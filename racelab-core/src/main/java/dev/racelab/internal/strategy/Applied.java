package dev.racelab.internal.strategy;

import dev.racelab.core.Cell;
import dev.racelab.core.Outcome;
import java.util.Objects;

/** What a one-cell operation came to, with the cell after it: present exactly when the outcome is OK. */
public record Applied(Outcome outcome, Cell after) {
    public Applied {
        Objects.requireNonNull(outcome, "outcome");
        if (outcome.isOk() != (after != null)) throw new IllegalArgumentException("a cell after, exactly when the outcome is OK");
    }

    public static Applied refused(Outcome outcome) {
        return new Applied(outcome, null);
    }
}
