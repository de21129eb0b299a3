package dev.racelab.store;

import java.util.Map;
import java.util.Objects;

/**
 * How to reach a store from any process: the registered name of its provider, its URL and
 * provider options (a DynamoDB region, say). Worker processes get this, never a live
 * connection. Secrets are not kept here: they come from each process's environment.
 */
public record StoreAddress(String name, String url, Map<String, String> options) {
    public StoreAddress {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        options = options == null ? Map.of() : Map.copyOf(options);
    }

    public StoreAddress(String name, String url) {
        this(name, url, Map.of());
    }

    /** The option by which a lease store learns how long a lease outlives a silent holder (a session timeout, a watchdog). */
    public static final String LEASE_TTL_MS = "lease-ttl-ms";

    public StoreAddress withLeaseTtl(java.time.Duration ttl) {
        Map<String, String> more = new java.util.HashMap<>(options);
        more.put(LEASE_TTL_MS, Long.toString(ttl.toMillis()));
        return new StoreAddress(name, url, more);
    }

    public String option(String key, String fallback) {
        return options.getOrDefault(key, fallback);
    }
}
