package dev.racelab.junit.internal.invariants;

import static dev.racelab.junit.internal.invariants.Words.count;
import static dev.racelab.junit.internal.invariants.Words.things;

import dev.racelab.internal.check.CellVerdict;
import dev.racelab.internal.check.HistoryChecker;
import dev.racelab.core.Cell;
import dev.racelab.core.Change;
import dev.racelab.core.FailReason;
import dev.racelab.core.Status;
import dev.racelab.internal.history.OpRecord;
import dev.racelab.junit.Finding;
import dev.racelab.junit.Invariant;
import dev.racelab.junit.Outcomes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * sum and floor: one value that each acknowledged invocation changes by a fixed delta, judged by
 * racelab's HistoryChecker from a history of the invocations (so UNKNOWN ones widen the bounds
 * exactly as in a CLI run), and worded as {@code racelab probe http} words its verdict.
 */
public final class CellInvariant implements Invariant {
    private static final String KEY = "value";

    private final String kind;
    private final String name;
    private final Reading value;
    private final long delta;
    private final boolean floor;

    private CellInvariant(String kind, String name, Reading value, long delta, boolean floor) {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("name must not be blank");
        if (value == null) throw new IllegalArgumentException("value must not be null");
        this.kind = kind;
        this.name = name;
        this.value = value;
        this.delta = delta;
        this.floor = floor;
    }

    public static CellInvariant sum(String name, Reading value, long delta) {
        if (delta == 0) throw new IllegalArgumentException("delta must not be 0: use Invariant.conserved for a value that must not move");
        return new CellInvariant("sum", name, value, delta, false);
    }

    public static CellInvariant floor(String name, Reading value, long take) {
        if (take <= 0) throw new IllegalArgumentException("take must be > 0, was " + take);
        return new CellInvariant("floor", name, value, -take, true);
    }

    @Override
    public Check start() throws Exception {
        long initial = value.read();
        return outcomes -> judge(initial, value.read(), outcomes);
    }

    private Finding judge(long initial, long actual, Outcomes outcomes) {
        List<OpRecord> history = new ArrayList<>(outcomes.invocations());
        for (int i = 0; i < outcomes.invocations(); i++) {
            Status s = outcomes.status(i);
            history.add(new OpRecord(i, List.of(new Change(KEY, delta)), 0, 0, s, s == Status.FAIL ? FailReason.ERROR : null, 0));
        }
        Map<String, Long> floors = floor ? Map.of(KEY, 0L) : Map.of();
        CellVerdict v = HistoryChecker.check(List.of(new Cell(KEY, initial, 0)), Map.of(KEY, new Cell(KEY, actual, 0)), floors, history)
                .cells().getFirst();
        String expected = count(v.expected()) + (v.low() == v.high() ? "" : " (" + count(v.low()) + " to " + count(v.high())
                + " with the unknown)");
        String head = kind + " of " + name + " (expected " + expected + ", actual " + count(actual) + ", lost " + count(v.lost()) + ")";
        return new Finding(kind + " of " + name, v.holds(), count(v.expected()), count(actual), v.lost(),
                head + ": " + (v.holds() ? passWords(v, outcomes) : failWords(v, outcomes)));
    }

    private String failWords(CellVerdict v, Outcomes o) {
        String acked = things(o.acknowledged(), "acknowledged operation");
        List<String> fails = new ArrayList<>();
        if (v.oversold() > 0) {
            String s = "oversold by " + count(v.oversold()) + ": " + acked + " took " + count(-v.acknowledged()) + ", but " + name
                    + " had " + count(Math.max(0, v.initial())) + " above the floor of 0";
            if (v.floorCrossed()) s += "; it ended at " + count(v.actual()) + ", below the floor";
            fails.add(s);
        } else if (v.floorCrossed()) {
            fails.add(name + " ended at " + count(v.actual()) + ", below the floor of 0");
        }
        if (v.lost() > 0) {
            long effect = Math.abs(v.acknowledged());
            fails.add(delta > 0
                    ? count(v.lost()) + " of the " + count(effect) + " that " + acked + " added to " + name + " is missing: lost updates"
                    : count(v.lost()) + " of the " + count(effect) + " that " + acked + " took from " + name
                            + " was never taken: lost updates");
        }
        if (v.phantom() > 0) {
            boolean grew = v.actual() > v.initial();
            String sources = acked + (o.unknown() > 0 ? " and the " + count(o.unknown()) + " unknown" : "");
            fails.add(name + (grew ? " grew by " : " fell by ") + count(Math.abs(v.actual() - v.initial())) + ", "
                    + count(v.phantom()) + " more than " + sources + " could " + (delta > 0 ? "add" : "take")
                    + ": a change that no operation explains" + (o.failed() > 0 ? ". Did a failed operation land anyway?" : ""));
        }
        return String.join("; ", fails);
    }

    private String passWords(CellVerdict v, Outcomes o) {
        String s = floor
                ? name + " ended at " + count(v.actual()) + ", not below the floor of 0, and " + things(o.acknowledged(), "acknowledged operation")
                        + " took " + count(-v.acknowledged()) + " of the " + count(v.initial()) + " there was"
                : o.acknowledged() > 0 ? "every acknowledged operation is in " + name
                : "no operation was acknowledged, and " + name + " holds no change that should not be there";
        if (o.unknown() > 0) {
            long landed = (v.actual() - v.expected()) / delta;
            s += "; " + things(o.unknown(), "operation") + " timed out, so " + (o.unknown() == 1 ? "it" : "they")
                    + " may or may not have landed: " + (landed == 0 ? "none did" : name + " shows " + count(landed) + " did");
        }
        return s;
    }

    @Override
    public String toString() {
        return kind + " of " + name;
    }
}
