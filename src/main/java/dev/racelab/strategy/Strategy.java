package dev.racelab.strategy;

import dev.racelab.core.Operation;
import dev.racelab.core.Outcome;

/** One way of applying an operation to a store. Safe strategies never lose an acknowledged change. */
@FunctionalInterface
public interface Strategy {
    Outcome apply(Operation operation);
}
