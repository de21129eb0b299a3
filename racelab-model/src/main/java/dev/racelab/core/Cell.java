package dev.racelab.core;

import java.util.Objects;

/** A keyed integer value and the version that every write bumps. */
public record Cell(String key, long value, long version) {
    public Cell {
        Objects.requireNonNull(key, "key");
        if (version < 0) throw new IllegalArgumentException("version must be >= 0, was " + version);
    }
}
