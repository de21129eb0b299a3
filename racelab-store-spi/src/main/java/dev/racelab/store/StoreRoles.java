package dev.racelab.store;

import java.util.Objects;

/**
 * The stores of one run, by role: the cell store, the store that grants leases (the cell
 * store itself when it can, else another, or none), and the store that logs orders for the
 * two-store strategies (the cell store unless told otherwise). Strategies take each role from
 * here; the registry has already checked that each store has the roles asked of it.
 */
public record StoreRoles(Store cells, Store leases, Store log) {
    public StoreRoles {
        Objects.requireNonNull(cells, "cells");
        if (log == null) log = cells;
    }

    /** One store for everything; leases too, when it grants them. */
    public static StoreRoles of(Store store) {
        return new StoreRoles(store, store instanceof LeaseStore ? store : null, store);
    }

    public CellStore cellStore() {
        return cells.as(CellStore.class);
    }

    public TransactionStore transactions() {
        return cells.as(TransactionStore.class);
    }

    public GuardedWriteStore guardedWrites() {
        return cells.as(GuardedWriteStore.class);
    }

    /** The cell store's guard rows; an operation without a guard never needs them, so a store without any still serves it. */
    public GuardOps guards() {
        return cells instanceof GuardStore g ? g : GuardOps.none(cells.name());
    }

    /** The cell store's guard rows, for listing and clean-up. */
    public GuardStore guardStore() {
        return cells.as(GuardStore.class);
    }

    /** Where a two-store strategy logs its orders. */
    public GuardStore orderLog() {
        return log.as(GuardStore.class);
    }

    public LeaseStore leaseStore() {
        if (leases == null) throw new UnsupportedOperationException("no lease store beside " + cells.name());
        return leases.as(LeaseStore.class);
    }

    /**
     * The lease that guards one cell. It names the cell store's identity as well as the key,
     * so two cell stores sharing a lease store never queue on each other's leases; run keys
     * carry the run's own prefix, so runs never share one either.
     */
    public String leaseName(String cellKey) {
        return "racelab-lock:" + cells.identity() + "/" + cellKey;
    }
}
