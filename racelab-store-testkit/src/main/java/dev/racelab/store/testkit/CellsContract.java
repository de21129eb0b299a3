package dev.racelab.store.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.racelab.core.Cell;
import dev.racelab.core.Change;
import dev.racelab.core.NoSuchCellException;
import dev.racelab.core.Operation;
import dev.racelab.core.StoreException;
import dev.racelab.store.Capability;
import dev.racelab.store.CellStore;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The cells role: create, read, blind write, compare-and-set, add under a floor, addAndGet. */
@Covers({Capability.READ_WRITE, Capability.ATOMIC_ADD, Capability.CAS})
public abstract class CellsContract extends RoleContract {
    private CellStore cells;


    @BeforeEach
    void cells() {
        cells = as(CellStore.class);
    }

    @Test
    void createdCellsReadBackWithVersionZero() {
        create("a", 42);
        assertThat(cells.read(key("a"))).isEqualTo(new Cell(key("a"), 42, 0));
    }

    @Test
    void creatingAgainReplacesWhatAnEarlierRunLeft() {
        create("a", 1);
        cells.write(key("a"), 99);
        create("a", 5);
        assertThat(cells.read(key("a"))).isEqualTo(new Cell(key("a"), 5, 0));
    }

    @Test
    void readingAMissingCellIsAnErrorNamingIt() {
        assertThatThrownBy(() -> cells.read(key("missing")))
                .isInstanceOf(StoreException.class).hasMessageContaining(key("missing"));
    }

    @Test
    void deletedCellsAreGone() {
        create("a", 1);
        cells.deleteCells(List.of(key("a")));
        assertThatThrownBy(() -> cells.read(key("a"))).isInstanceOf(StoreException.class);
    }

    @Test
    void writeBumpsTheVersion() {
        create("a", 1);
        cells.write(key("a"), 7);
        assertThat(cells.read(key("a"))).isEqualTo(new Cell(key("a"), 7, 1));
    }

    @Test
    void compareAndSetWinsOnlyWithTheCurrentVersion() {
        create("a", 10);
        assertThat(cells.compareAndSet(key("a"), 0, 11)).isTrue();
        assertThat(cells.compareAndSet(key("a"), 0, 99)).as("stale version").isFalse();
        assertThat(cells.read(key("a"))).isEqualTo(new Cell(key("a"), 11, 1));
    }

    @Test
    void addWithoutFloorAddsInPlace() {
        create("a", 10);
        assertThat(cells.add(new Change(key("a"), -25), Operation.NO_FLOOR)).isTrue();
        assertThat(cells.read(key("a")).value()).isEqualTo(-15);
    }

    @Test
    void addRefusesToCrossTheFloorAndChangesNothing() {
        create("stock", 1);
        assertThat(cells.add(new Change(key("stock"), -1), 0)).isTrue();
        assertThat(cells.add(new Change(key("stock"), -1), 0)).isFalse();
        assertThat(cells.read(key("stock"))).isEqualTo(new Cell(key("stock"), 0, 1));
    }

    @Test
    void addToAMissingCellIsAnErrorNotAFloorRefusal() {
        assertThatThrownBy(() -> cells.add(new Change(key("missing"), -1), 0)).isInstanceOf(StoreException.class);
    }

    @Test
    void addAndGetAnswersTheCellTheAddLeft() {
        create("a", 10);
        assertThat(cells.addAndGet(new Change(key("a"), 5), Operation.NO_FLOOR)).contains(new Cell(key("a"), 15, 1));
        assertThat(cells.addAndGet(new Change(key("a"), -15), 0)).contains(new Cell(key("a"), 0, 2));
        assertThat(cells.read(key("a"))).isEqualTo(new Cell(key("a"), 0, 2));
    }

    @Test
    void addAndGetRefusedByTheFloorIsEmptyAndChangesNothing() {
        create("stock", 1);
        assertThat(cells.addAndGet(new Change(key("stock"), -2), 0)).isEmpty();
        assertThat(cells.read(key("stock"))).isEqualTo(new Cell(key("stock"), 1, 0));
    }

    @Test
    void addAndGetToAMissingCellIsAnErrorNotAFloorRefusal() {
        assertThatThrownBy(() -> cells.addAndGet(new Change(key("missing"), 1), 0)).isInstanceOf(NoSuchCellException.class);
        assertThatThrownBy(() -> cells.addAndGet(new Change(key("missing"), 1), Operation.NO_FLOOR))
                .isInstanceOf(NoSuchCellException.class);
    }
}
