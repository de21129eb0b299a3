package dev.racelab.internal.strategy;

import dev.racelab.core.Cell;
import dev.racelab.core.Change;
import dev.racelab.core.FailReason;
import dev.racelab.core.Operation;
import dev.racelab.core.Outcome;
import dev.racelab.store.CellOps;
import dev.racelab.store.GuardOps;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Read every cell, compute the new values in the application, write them back: the step
 * that loses updates unless something around it makes it safe. Reads go in key order, so
 * locking reads never wait on each other in a cycle.
 */
final class ReadModifyWrite {
    private ReadModifyWrite() {
    }

    static Outcome apply(Operation op, Function<String, Cell> reader, CellOps writer, GuardOps guards, ReadWriteGap gap) {
        List<Change> changes = op.inLockOrder();
        List<Cell> read = new ArrayList<>(changes.size());
        for (Change change : changes) read.add(reader.apply(change.key()));
        gap.pause();
        long[] next = nextValues(op, changes, read);
        if (next == null) return Outcome.fail(FailReason.FLOOR);
        for (int i = 0; i < changes.size(); i++) writer.write(changes.get(i).key(), next[i]);
        // Inside a transaction the guard row commits with the cells; outside one it is a
        // second write, and a crash before it loses the row.
        return guards.applyGuard(op);
    }

    /** The values to write, or null when one would fall below the operation's floor. */
    static long[] nextValues(Operation op, List<Change> changes, List<Cell> read) {
        long[] next = new long[changes.size()];
        for (int i = 0; i < next.length; i++) {
            next[i] = Math.addExact(read.get(i).value(), changes.get(i).delta());
            if (op.hasFloor() && next[i] < op.floor()) return null;
        }
        return next;
    }
}
