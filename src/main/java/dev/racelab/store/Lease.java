package dev.racelab.store;

import java.util.Objects;

/**
 * A lease held on a name until it expires or is released. The token proves ownership at
 * release time; the fence grows with every grant, so a store can refuse a write from an
 * older holder whose lease ran out while it was paused.
 */
public record Lease(String name, String token, long fence) {
    public Lease {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(token, "token");
        if (fence < 1) throw new IllegalArgumentException("fences start at 1, was " + fence);
    }
}
