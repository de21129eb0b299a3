package dev.racelab.internal.run;

import dev.racelab.core.Cell;
import dev.racelab.core.NoSuchCellException;
import dev.racelab.store.CellStore;
import dev.racelab.internal.strategy.CellShape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The cells as the store holds them after a run, for the checker. A cell the store no longer
 * has (a restart of a server that keeps nothing on disk) is listed as vanished and checked at
 * its initial value: every change to it is gone.
 */
record FinalCells(Map<String, Cell> byKey, List<String> vanished) {
    static FinalCells read(List<Cell> cells, CellShape shape, CellStore store) {
        Map<String, Cell> finals = new HashMap<>();
        List<String> vanished = new ArrayList<>();
        for (Cell cell : cells) {
            try {
                finals.put(cell.key(), shape.read(store, cell.key()));
            } catch (NoSuchCellException gone) {
                vanished.add(cell.key());
                finals.put(cell.key(), cell);
            }
        }
        return new FinalCells(Map.copyOf(finals), List.copyOf(vanished));
    }
}
