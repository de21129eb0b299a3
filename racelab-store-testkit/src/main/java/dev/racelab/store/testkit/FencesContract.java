package dev.racelab.store.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.racelab.core.Cell;
import dev.racelab.core.NoSuchCellException;
import dev.racelab.store.Capability;
import dev.racelab.store.CellStore;
import dev.racelab.store.FenceStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Fenced reads and writes: a cell refuses a fence below the highest it has accepted, at the read as at the write. */
@Covers(Capability.FENCE)
public abstract class FencesContract extends RoleContract {
    private FenceStore fences;
    private CellStore cells;


    @BeforeEach
    void roles() {
        fences = as(FenceStore.class);
        cells = as(CellStore.class);
    }

    @Test
    void aFencedReadAnswersTheCellAndAFencedWriteBumpsTheVersion() {
        create("a", 10);
        assertThat(fences.readFenced(key("a"), 5)).contains(new Cell(key("a"), 10, 0));
        assertThat(fences.writeFenced(key("a"), 11, 5)).isTrue();
        assertThat(cells.read(key("a"))).isEqualTo(new Cell(key("a"), 11, 1));
        assertThat(fences.readFenced(key("a"), 5)).as("the same fence again").contains(new Cell(key("a"), 11, 1));
    }

    /**
     * The moment fencing exists for: A's lease expired after its read; B took the lease with a
     * higher fence and read. A's write is refused, B's lands, and nothing B acknowledges is lost.
     */
    @Test
    void aStaleHolderCannotWriteBetweenTheNextHoldersReadAndWrite() {
        create("a", 0);
        Cell readByA = fences.readFenced(key("a"), 1).orElseThrow();
        Cell readByB = fences.readFenced(key("a"), 2).orElseThrow();
        assertThat(fences.writeFenced(key("a"), readByA.value() + 1, 1)).as("A's stale write").isFalse();
        assertThat(cells.read(key("a"))).as("A's refused write changed nothing").isEqualTo(new Cell(key("a"), 0, 0));
        assertThat(fences.writeFenced(key("a"), readByB.value() + 1, 2)).isTrue();
        assertThat(cells.read(key("a")).value()).isEqualTo(1);
        assertThat(fences.readFenced(key("a"), 1)).as("A reads again under its old fence").isEmpty();
    }

    @Test
    void aHigherFenceIsAcceptedAndRaisesTheBar() {
        create("a", 0);
        assertThat(fences.writeFenced(key("a"), 7, 3)).isTrue();
        assertThat(fences.writeFenced(key("a"), 8, 2)).as("below the fence a write raised").isFalse();
        assertThat(fences.writeFenced(key("a"), 9, 4)).isTrue();
        assertThat(cells.read(key("a")).value()).isEqualTo(9);
    }

    @Test
    void fencedPrimitivesOnAMissingCellAreAnErrorNotARefusal() {
        assertThatThrownBy(() -> fences.readFenced(key("missing"), 1)).isInstanceOf(NoSuchCellException.class);
        assertThatThrownBy(() -> fences.writeFenced(key("missing"), 1, 1)).isInstanceOf(NoSuchCellException.class);
    }
}
