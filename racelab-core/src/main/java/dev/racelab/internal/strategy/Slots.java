package dev.racelab.internal.strategy;

import dev.racelab.core.Cell;
import dev.racelab.store.CellOps;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A cell spread over {@code count} slot rows, {@code <key>/slot:<i>}: the cell's value is the
 * sum of its slots. The initial value is dealt out evenly, so with a floor of 0 each slot
 * holds a share of the stock. Reading a cell costs one read per slot.
 */
public record Slots(int count) implements CellShape {
    public Slots {
        if (count < 1) throw new IllegalArgumentException("a cell needs at least 1 slot, was " + count);
    }

    public String key(String cellKey, int slot) {
        return cellKey + "/slot:" + slot;
    }

    /** Slot {@code slot}'s share of {@code value}: the same for all, the remainder one unit each to the first ones. */
    long share(long value, int slot) {
        return Math.floorDiv(value, count) + (slot < Math.floorMod(value, count) ? 1 : 0);
    }

    @Override
    public List<Cell> stored(List<Cell> cells) {
        List<Cell> rows = new ArrayList<>(cells.size() * count);
        for (Cell cell : cells) {
            for (int i = 0; i < count; i++) rows.add(new Cell(key(cell.key(), i), share(cell.value(), i), 0));
        }
        return rows;
    }

    /** The sum of the slots, each read on its own: not a snapshot while writers run, exact once they stopped. */
    @Override
    public Cell read(CellOps store, String key) {
        long value = 0;
        long version = 0;
        for (int i = 0; i < count; i++) {
            Cell slot = store.read(key(key, i));
            value += slot.value();
            version += slot.version();
        }
        return new Cell(key, value, version);
    }

    @Override
    public List<String> storedKeys(Collection<String> keys) {
        List<String> rows = new ArrayList<>(keys.size() * count);
        for (String key : keys) for (int i = 0; i < count; i++) rows.add(key(key, i));
        return rows;
    }
}
