package dev.racelab.store.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.racelab.core.Cell;
import dev.racelab.core.Change;
import dev.racelab.core.FailReason;
import dev.racelab.core.Operation;
import dev.racelab.core.Outcome;
import dev.racelab.core.StoreException;
import dev.racelab.store.BatchWrite;
import dev.racelab.store.Capability;
import dev.racelab.store.CellStore;
import dev.racelab.store.GuardStore;
import dev.racelab.store.GuardedWriteStore;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Guarded writes: every delta under the floor and the guard row, in one atomic step, once only. */
@Covers(Capability.ATOMIC_GUARD)
public abstract class GuardedWritesContract extends RoleContract {
    private GuardedWriteStore writes;
    private CellStore cells;
    private GuardStore guards;


    @BeforeEach
    void roles() {
        writes = as(GuardedWriteStore.class);
        cells = as(CellStore.class);
        guards = as(GuardStore.class);
    }

    @Test
    void addGuardedTakesStockAndWritesTheGuardTogether() {
        create("stock", 2);
        Operation order = new Operation(1, List.of(new Change(key("stock"), -2)), 0, key("order:1"));
        assertThat(writes.addGuarded(order)).isEqualTo(Outcome.ok());
        assertThat(cells.read(key("stock")).value()).isZero();
        assertThat(guards.guards(prefix)).containsExactly(key("order:1"));
    }

    @Test
    void addGuardedRefusesBelowTheFloorAndWritesNoGuard() {
        create("stock", 1);
        Operation order = new Operation(1, List.of(new Change(key("stock"), -2)), 0, key("order:1"));
        assertThat(writes.addGuarded(order)).isEqualTo(Outcome.fail(FailReason.FLOOR));
        assertThat(cells.read(key("stock"))).isEqualTo(new Cell(key("stock"), 1, 0));
        assertThat(guards.guards(prefix)).isEmpty();
    }

    @Test
    void addGuardedAppliesAnOperationOnlyOnce() {
        create("stock", 5);
        Operation order = new Operation(1, List.of(new Change(key("stock"), -1)), 0, key("order:1"));
        assertThat(writes.addGuarded(order)).isEqualTo(Outcome.ok());
        assertThat(writes.addGuarded(order)).as("the same order again").isEqualTo(Outcome.fail(FailReason.DUPLICATE));
        assertThat(cells.read(key("stock")).value()).isEqualTo(4);
    }

    @Test
    void addGuardedChangesSeveralCellsAllOrNothing() {
        create("from", 10);
        create("to", 0);
        Operation tooMuch = new Operation(1, List.of(new Change(key("from"), -11), new Change(key("to"), 11)), 0, key("t:1"));
        assertThat(writes.addGuarded(tooMuch)).isEqualTo(Outcome.fail(FailReason.FLOOR));
        assertThat(cells.read(key("to")).value()).as("the credit did not land alone").isZero();
        Operation fits = new Operation(2, List.of(new Change(key("from"), -10), new Change(key("to"), 10)), 0, key("t:2"));
        assertThat(writes.addGuarded(fits)).isEqualTo(Outcome.ok());
        assertThat(cells.read(key("from")).value()).isZero();
        assertThat(cells.read(key("to")).value()).isEqualTo(10);
    }

    @Test
    void releasingAGuardTakesTheRowAndTheChangeTogetherAndOnlyOnce() {
        create("likes", 0);
        Operation like = new Operation(1, List.of(new Change(key("likes"), 1)), Operation.NO_FLOOR, key("like:ann"), false);
        Operation unlike = new Operation(2, List.of(new Change(key("likes"), -1)), Operation.NO_FLOOR, key("like:ann"), true);
        assertThat(writes.addGuarded(unlike)).as("nothing to unlike yet").isEqualTo(Outcome.fail(FailReason.ABSENT));
        assertThat(cells.read(key("likes")).value()).isZero();
        assertThat(writes.addGuarded(like)).isEqualTo(Outcome.ok());
        assertThat(writes.addGuarded(like)).as("liking twice").isEqualTo(Outcome.fail(FailReason.DUPLICATE));
        assertThat(cells.read(key("likes")).value()).isEqualTo(1);
        assertThat(writes.addGuarded(unlike)).isEqualTo(Outcome.ok());
        assertThat(cells.read(key("likes")).value()).isZero();
        assertThat(guards.guards(prefix)).isEmpty();
        assertThat(writes.addGuarded(unlike)).isEqualTo(Outcome.fail(FailReason.ABSENT));
        assertThat(cells.read(key("likes")).value()).isZero();
    }

    @Test
    void addBatchAddsTheSumAndWritesEveryGuardInOneStep() {
        create("stock", 10);
        List<String> orders = List.of(key("order:1"), key("order:2"), key("order:3"));
        BatchWrite written = writes.addBatch(new Change(key("stock"), -3), 0, orders);
        assertThat(written.outcome()).isEqualTo(Outcome.ok());
        if (written.after() != null) assertThat(written.after().value()).as("the cell the batch left").isEqualTo(7);
        assertThat(cells.read(key("stock")).value()).isEqualTo(7);
        assertThat(guards.guards(prefix)).containsExactlyInAnyOrderElementsOf(orders);
    }

    @Test
    void addBatchWithoutGuardsAnswersTheCellItLeft() {
        create("counter", 5);
        BatchWrite written = writes.addBatch(new Change(key("counter"), 64), Operation.NO_FLOOR, List.of());
        assertThat(written.outcome()).isEqualTo(Outcome.ok());
        assertThat(written.after()).as("one write without guards answers its cell").isEqualTo(new Cell(key("counter"), 69, 1));
        assertThat(cells.read(key("counter")).value()).isEqualTo(69);
    }

    @Test
    void addBatchThatWouldCrossTheFloorChangesNothing() {
        create("stock", 2);
        BatchWrite written = writes.addBatch(new Change(key("stock"), -3), 0, List.of(key("o:1"), key("o:2"), key("o:3")));
        assertThat(written).isEqualTo(BatchWrite.refused(Outcome.fail(FailReason.FLOOR)));
        assertThat(cells.read(key("stock"))).isEqualTo(new Cell(key("stock"), 2, 0));
        assertThat(guards.guards(prefix)).as("no order row of the refused batch").isEmpty();
    }

    @Test
    void addBatchWithAGuardThatExistsChangesNothing() {
        create("stock", 10);
        assertThat(guards.insertGuard(key("o:2"))).isTrue();
        BatchWrite written = writes.addBatch(new Change(key("stock"), -3), 0, List.of(key("o:1"), key("o:2"), key("o:3")));
        assertThat(written).isEqualTo(BatchWrite.refused(Outcome.fail(FailReason.DUPLICATE)));
        assertThat(cells.read(key("stock")).value()).isEqualTo(10);
        assertThat(guards.guards(prefix)).containsExactly(key("o:2"));
    }

    @Test
    void addBatchNamingAGuardTwiceChangesNothing() {
        create("stock", 10);
        BatchWrite written = writes.addBatch(new Change(key("stock"), -2), 0, List.of(key("o:1"), key("o:1")));
        assertThat(written).isEqualTo(BatchWrite.refused(Outcome.fail(FailReason.DUPLICATE)));
        assertThat(cells.read(key("stock")).value()).isEqualTo(10);
        assertThat(guards.guards(prefix)).isEmpty();
    }

    @Test
    void addBatchTakesAsManyGuardsAsTheStoreSaysAndRefusesMore() {
        create("stock", 5_000);
        int most = Math.min(writes.maxBatchGuards(), 200);
        List<String> orders = IntStream.range(0, most).mapToObj(i -> key("o:" + i)).toList();
        assertThat(writes.addBatch(new Change(key("stock"), -most), 0, orders).outcome()).isEqualTo(Outcome.ok());
        assertThat(guards.guards(prefix)).hasSize(most);
        List<String> tooMany = IntStream.range(0, writes.maxBatchGuards() + 1).mapToObj(i -> key("x:" + i)).toList();
        assertThatThrownBy(() -> writes.addBatch(new Change(key("stock"), -tooMany.size()), 0, tooMany))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most " + writes.maxBatchGuards());
        assertThat(cells.read(key("stock")).value()).isEqualTo(5_000 - most);
    }

    @Test
    void addBatchToAMissingCellIsAnErrorAndWritesNoGuard() {
        assertThatThrownBy(() -> writes.addBatch(new Change(key("missing"), -1), 0, List.of(key("o:1"))))
                .isInstanceOf(StoreException.class);
        assertThat(guards.guards(prefix)).isEmpty();
    }

    @Test
    void addGuardedToAMissingCellIsAnErrorAndWritesNoGuard() {
        Operation order = new Operation(1, List.of(new Change(key("missing"), -1)), 0, key("order:1"));
        assertThatThrownBy(() -> writes.addGuarded(order)).isInstanceOf(StoreException.class);
        assertThat(guards.guards(prefix)).isEmpty();
    }
}
