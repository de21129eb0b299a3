package dev.racelab.store;

import java.util.Objects;

/**
 * How to reach a store from any process: the name the user chose, the engine that serves
 * it and its URL. Worker processes get this, never a live connection.
 */
public record StoreAddress(String name, String engine, String url) {
    public StoreAddress {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(url, "url");
    }
}
