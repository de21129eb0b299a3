package dev.racelab.internal.run;

import dev.racelab.internal.registry.StoreRegistry;
import dev.racelab.store.Layout;
import dev.racelab.store.LeaseStore;
import dev.racelab.store.Store;
import dev.racelab.store.StoreRoles;
import java.util.ArrayList;
import java.util.List;

/**
 * A run's stores, opened by role: the coordinator and every worker open them here, the one
 * place that knows that a role without a store of its own is served by the cell store.
 */
final class RunStores implements AutoCloseable {
    private final StoreRoles roles;
    private final List<Store> opened;

    private RunStores(StoreRoles roles, List<Store> opened) {
        this.roles = roles;
        this.opened = opened;
    }

    /** {@code layout} is the cells' (a strategy may need seed 000's keyless table); the other roles are keyed. */
    static RunStores open(StoreAddresses addresses, Layout layout, int poolSize) {
        StoreRegistry registry = StoreRegistry.current();
        List<Store> opened = new ArrayList<>();
        try {
            Store cells = keep(opened, registry.open(addresses.cells(), layout, poolSize));
            Store leases = addresses.leases() != null ? keep(opened, registry.open(addresses.leases(), Layout.KEYED, poolSize))
                    : cells instanceof LeaseStore ? cells : null;
            Store log = addresses.log() != null ? keep(opened, registry.open(addresses.log(), Layout.KEYED, poolSize)) : cells;
            return new RunStores(new StoreRoles(cells, leases, log), opened);
        } catch (RuntimeException e) {
            closeAll(opened);
            throw e;
        }
    }

    private static Store keep(List<Store> opened, Store store) {
        opened.add(store);
        return store;
    }

    StoreRoles roles() {
        return roles;
    }

    /** Every store opened for this run, the cell store first: each counts against its server's connections. */
    List<Store> all() {
        return opened;
    }

    @Override
    public void close() {
        closeAll(opened);
    }

    private static void closeAll(List<Store> stores) {
        RuntimeException first = null;
        for (int i = stores.size() - 1; i >= 0; i--) {
            try {
                stores.get(i).close();
            } catch (RuntimeException e) {
                if (first == null) first = e;
            }
        }
        if (first != null) throw first;
    }
}
