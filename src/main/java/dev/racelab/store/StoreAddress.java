package dev.racelab.store;

import java.util.Map;
import java.util.Objects;

/**
 * How to reach a store from any process: the name the user chose, the engine that serves
 * it, its URL and engine options (a DynamoDB region, say). Worker processes get this, never
 * a live connection. Secrets are not kept here: they come from each process's environment.
 */
public record StoreAddress(String name, String engine, String url, Map<String, String> options) {
    public StoreAddress {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(url, "url");
        options = options == null ? Map.of() : Map.copyOf(options);
    }

    public StoreAddress(String name, String engine, String url) {
        this(name, engine, url, Map.of());
    }

    public String option(String key, String fallback) {
        return options.getOrDefault(key, fallback);
    }
}
