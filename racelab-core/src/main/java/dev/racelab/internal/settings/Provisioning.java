package dev.racelab.internal.settings;

import java.util.List;

/**
 * What racelab's own store providers add to the public {@link dev.racelab.store.StoreProvider}:
 * the settings they read (flags, environment variables, defaults) and how those become an
 * address, starting an embedded server when that is what the store is. The registry finds it
 * on a provider with {@code instanceof}; a provider without it is provisioned at an address
 * with its name and no URL, and reads whatever else it needs itself when it opens.
 */
public interface Provisioning {
    /** The flags and environment variables it reads; shared ones (one Redis URL) are listed by each store that reads them. */
    default List<Setting> settings() {
        return List.of();
    }

    /** Resolves the settings to an address; starts a server in-process when that is what the store is. */
    Provisioned provision(StoreSettings settings);
}
