package dev.racelab.internal.run;

import dev.racelab.core.Cell;
import dev.racelab.internal.scenario.Scenario;
import dev.racelab.store.StoreRoles;
import dev.racelab.internal.strategy.ReserveConfirmStrategy;
import dev.racelab.internal.strategy.CellShape;
import dev.racelab.internal.strategy.StrategyInfo;
import java.util.List;

/** Removes what a run, or a worker's warm-up, left under its prefix. */
final class RunCleanup {
    private RunCleanup() {
    }

    /**
     * Deletes the cells (every row of their shape), the guard rows (in the order log of a
     * two-store strategy, else in the cell store), the reservations a recovery sweep would find,
     * and the lease store's fence counters for the cells' leases: the prefix is the run's own,
     * so no one leases them again.
     */
    static void remove(String prefix, List<Cell> cells, CellShape shape, Scenario scenario, StrategyInfo strategy, StoreRoles stores) {
        stores.cellStore().deleteCells(shape.storedKeys(cells.stream().map(Cell::key).toList()));
        if (strategy.needsLeases()) stores.leaseStore().forgetLeases(cells.stream().map(c -> stores.leaseName(c.key())).toList());
        if (scenario.usesGuards()) {
            (strategy.needsLogStore() ? stores.orderLog() : stores.guardStore()).deleteGuards(prefix);
            if (strategy.recovery() != null) stores.guardStore().deleteGuards(ReserveConfirmStrategy.RESERVATION + prefix);
        }
    }
}
