package dev.racelab.internal.settings;

import dev.racelab.core.StoreException;
import dev.racelab.store.StoreAddress;

/** A store's address, plus the server racelab started for it (an embedded one), stopped on close. */
public record Provisioned(StoreAddress address, AutoCloseable server) implements AutoCloseable {
    public static Provisioned at(StoreAddress address) {
        return new Provisioned(address, null);
    }

    @Override
    public void close() {
        if (server == null) return;
        try {
            server.close();
        } catch (Exception e) {
            throw new StoreException("could not stop the " + address.name() + " server racelab started: " + e.getMessage(), e, false);
        }
    }
}
