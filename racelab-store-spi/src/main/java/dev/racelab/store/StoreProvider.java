package dev.racelab.store;

import java.util.Set;

/**
 * Everything racelab needs to know about one store: its name, what it can do and how to open
 * it. Providers are found with {@link java.util.ServiceLoader}: a store is registered by one
 * line in {@code META-INF/services/dev.racelab.store.StoreProvider}. A provider outside
 * racelab is provisioned at an address with its name and no URL, and reads what else it needs
 * (a URL, credentials) when it opens.
 */
public interface StoreProvider {
    /** The name users give to --store: lower case, no spaces. */
    String name();

    /** One line for {@code racelab list}. */
    String description();

    /** Declared here once; the store it opens implements the roles these belong to. */
    Set<Capability> capabilities();

    /** Connects; {@code poolSize} is how many threads will use the store at once. Fails fast, in one line, when it cannot. */
    Store open(StoreAddress address, Layout layout, int poolSize);
}
