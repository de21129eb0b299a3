package dev.racelab.store;

import java.util.List;
import java.util.Set;

/**
 * Everything racelab knows about one store, in one place: its name, what it can do, the
 * settings it reads, how to start an embedded one and how to open it. Providers are found
 * with {@link java.util.ServiceLoader}: a store is registered by one line in
 * {@code META-INF/services/dev.racelab.store.StoreProvider}.
 */
public interface StoreProvider {
    /** The name users give to --store: lower case, no spaces. */
    String name();

    /** One line for {@code racelab list}. */
    String description();

    /** Declared here once; the store it opens implements the roles these belong to. */
    Set<Capability> capabilities();

    /** The flags and environment variables it reads; shared ones (one Redis URL) are listed by each store that reads them. */
    default List<Setting> settings() {
        return List.of();
    }

    /** Resolves the settings to an address; starts a server in-process when that is what the store is. */
    Provisioned provision(StoreSettings settings);

    /** Connects; {@code poolSize} is how many threads will use the store at once. Fails fast, in one line, when it cannot. */
    Store open(StoreAddress address, Layout layout, int poolSize);

    /**
     * How the nemesis may stop and start the store's server: the embedded server racelab
     * started, or a server on loopback started by bin/start-services' command; empty for any
     * other, which the nemesis then refuses to touch.
     */
    default java.util.Optional<ServerControl> control(Provisioned provisioned) {
        return provisioned.server() instanceof ServerControl c ? java.util.Optional.of(c) : java.util.Optional.empty();
    }
}
