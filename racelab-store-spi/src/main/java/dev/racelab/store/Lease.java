package dev.racelab.store;

import java.util.Objects;

/**
 * A lease held on a name until it expires or is released. The token proves ownership at
 * release time. The fence is the grant's fencing token: it only grows for that name, so a
 * cell store can refuse a write from an older holder whose lease ran out while it was paused.
 * A fence of 0 means the grant carries none (a lock recipe without tokens, such as Redisson's RLock).
 */
public record Lease(String name, String token, long fence) {
    public Lease {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(token, "token");
        if (fence < 0) throw new IllegalArgumentException("fences are 0 (none) or grow from 1, was " + fence);
    }

    public boolean fenced() {
        return fence > 0;
    }
}
