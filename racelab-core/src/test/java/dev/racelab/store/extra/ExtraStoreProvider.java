package dev.racelab.store.extra;

import dev.racelab.internal.registry.StoreRegistry;
import dev.racelab.store.Capability;
import dev.racelab.store.Layout;
import dev.racelab.internal.settings.Provisioned;
import dev.racelab.store.Store;
import dev.racelab.store.StoreAddress;
import dev.racelab.store.StoreProvider;
import dev.racelab.internal.settings.StoreSettings;
import dev.racelab.internal.settings.Provisioning;
import java.util.EnumSet;
import java.util.Set;

/**
 * A store registered by a test alone, as a new store would be: its own package and one line in
 * a services file. It is this machine's PostgreSQL under another name, with cells and guard
 * rows but no transactions, so the registry must list it and refuse what needs more.
 */
public final class ExtraStoreProvider implements StoreProvider, Provisioning {
    public static final String NAME = "extra-test-store";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "a store only the tests register (PostgreSQL, seen through its cells and guard rows)";
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.READ_WRITE, Capability.ATOMIC_ADD, Capability.CAS, Capability.GUARD_ROW);
    }

    @Override
    public Provisioned provision(StoreSettings settings) {
        return Provisioned.at(new StoreAddress(NAME, StoreRegistry.current().provision("postgres", settings).address().url()));
    }

    @Override
    public Store open(StoreAddress address, Layout layout, int poolSize) {
        return StoreRegistry.current().open(new StoreAddress("postgres", address.url()), layout, poolSize);
    }
}
