package dev.racelab.internal.run;

import dev.racelab.internal.process.HoldMoment;
import dev.racelab.internal.process.WorkerMessage.Holding;
import static org.assertj.core.api.Assertions.assertThat;

import dev.racelab.core.Change;
import dev.racelab.core.Clock;
import dev.racelab.core.FailReason;
import dev.racelab.core.Outcome;
import dev.racelab.internal.history.WorkerReport;
import dev.racelab.internal.scenario.OrderScenario;
import dev.racelab.internal.scenario.Product;
import dev.racelab.internal.scenario.ScenarioOptions;
import dev.racelab.internal.strategy.ReadWriteGap;
import dev.racelab.internal.strategy.Strategies;
import dev.racelab.internal.strategy.Strategy;
import dev.racelab.internal.strategy.StrategyContext;
import dev.racelab.retry.RetryPolicy;
import dev.racelab.store.Layout;
import dev.racelab.store.Store;
import dev.racelab.store.StoreRoles;
import dev.racelab.testing.TestStores;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * kill-worker's hold at APPLIED promises "that operation is applied and never acknowledged".
 * An order refused because the stock is 0 was not applied: the hold must pass it by and take
 * the next order the store did apply.
 */
class AppliedHoldTest {
    @Test
    void theAppliedHoldPassesARefusedOrderByAndHoldsTheNextAppliedOne() throws Exception {
        ScenarioOptions soldOut = new ScenarioOptions("p1", 0L, 1);
        OrderScenario orders = new OrderScenario(soldOut);
        String prefix = TestStores.uniquePrefix();
        String stock = Product.stockKey(prefix, "p1");
        try (Store store = TestStores.open(TestStores.postgres(), Layout.KEYED, 2)) {
            StoreRoles roles = StoreRoles.of(store);
            roles.cellStore().createCells(orders.cells(prefix));
            Strategy atomic = Strategies.get("atomic").create(StrategyContext.of(roles, RetryPolicy.DEFAULT, Clock.SYSTEM,
                    StrategyContext.THREAD_SAFE_RANDOM, ReadWriteGap.NONE));
            // The first order finds the stock at 0 and is refused; one unit arrives after it, so the second is applied.
            AtomicReference<Outcome> first = new AtomicReference<>();
            Strategy restockAfterTheFirst = op -> {
                Outcome outcome = atomic.apply(op);
                if (first.compareAndSet(null, outcome)) roles.cellStore().add(new Change(stock, 1), 0);
                return outcome;
            };

            List<Holding> held = new CopyOnWriteArrayList<>();
            AtomicReference<Holds> holds = new AtomicReference<>();
            // Report, then send the holder on at once: the hold's report is what this test checks.
            holds.set(new Holds(what -> {
                held.add(what);
                holds.get().release();
            }));
            holds.get().request(HoldMoment.APPLIED);
            LoadLoop loop = new LoadLoop(orders, prefix, 0, restockAfterTheFirst, Clock.SYSTEM, false);
            WorkerReport report = loop.run(1, 2, null, holds.get(), Map.of());

            assertThat(first.get()).as("the first order was refused by the floor").isEqualTo(Outcome.fail(FailReason.FLOOR));
            assertThat(roles.cellStore().read(stock).value()).as("the second order took the unit").isZero();
            long applied = orders.operation(prefix, 0, 0, 1).id();
            assertThat(held).as("one hold, on the applied order, not on the refused one")
                    .containsExactly(new Holding(HoldMoment.APPLIED, applied, stock));
            assertThat(report.history()).as("the journal, not the report, holds a journaled run's history").isEmpty();
        }
    }
}
