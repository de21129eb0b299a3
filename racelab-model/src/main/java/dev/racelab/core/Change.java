package dev.racelab.core;

import java.util.Objects;

/** Adds {@code delta} to the cell named {@code key}. */
public record Change(String key, long delta) {
    public Change {
        Objects.requireNonNull(key, "key");
        if (key.isBlank()) throw new IllegalArgumentException("a change needs a cell key");
    }
}
