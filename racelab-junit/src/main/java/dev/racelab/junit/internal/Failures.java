package dev.racelab.junit.internal;

import dev.racelab.junit.FailureGroup;
import dev.racelab.junit.FailureKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Why invocations failed, grouped by kind, SQLSTATE and exception class (never by message, which
 * may carry process ids), for the verdict's last line and {@link dev.racelab.junit.RaceResult#failures()}.
 * A schedule's tally may pass each failure on to the race's total.
 */
final class Failures {
    private static final int SHOWN = 6;
    private static final int EXAMPLE = 120;

    private record Key(FailureKind kind, String sqlState, String exception) {
    }

    private static final class Group {
        long count;
        final String example;

        Group(String example) {
            this.example = example;
        }
    }

    private final Map<Key, Group> groups = new LinkedHashMap<>();
    private final Failures total;

    Failures() {
        this(null);
    }

    /** A tally that also counts each failure into {@code total}. */
    Failures(Failures total) {
        this.total = total;
    }

    void add(Throwable t) {
        FailureKinds.Read r = FailureKinds.of(t);
        String message = t.getMessage() == null ? "" : oneLine(t.getMessage());
        add(new Key(r.kind(), r.sqlState(), t.getClass().getSimpleName()), message.length() > EXAMPLE ? message.substring(0, EXAMPLE - 3) + "..." : message);
    }

    void refused() {
        add(new Key(FailureKind.REFUSED, "", ""), "");
    }

    private void add(Key key, String example) {
        synchronized (this) {
            groups.computeIfAbsent(key, k -> new Group(example)).count++;
        }
        if (total != null) total.add(key, example);
    }

    static String describe(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + oneLine(m));
    }

    static String oneLine(String s) {
        String line = s.replaceAll("\\s+", " ").trim();
        return line.length() > 160 ? line.substring(0, 157) + "..." : line;
    }

    /** The groups, the largest first. */
    synchronized List<FailureGroup> groups() {
        List<FailureGroup> out = new ArrayList<>();
        groups.forEach((k, g) -> out.add(new FailureGroup(k.kind(), k.sqlState(), k.exception(), g.count, g.example)));
        out.sort(Comparator.comparingLong(FailureGroup::count).reversed());
        return out;
    }

    /** "deadlock, SQLSTATE 40P01, PSQLException (279): ERROR: deadlock detected ...; ..." for the few largest groups. */
    String summary() {
        List<FailureGroup> all = groups();
        List<String> parts = new ArrayList<>();
        long others = 0;
        for (int i = 0; i < all.size(); i++) {
            FailureGroup g = all.get(i);
            if (i >= SHOWN) {
                others += g.count();
                continue;
            }
            parts.add(g.describe() + (g.example().isEmpty() || g.kind() == FailureKind.REFUSED ? "" : ", such as \"" + g.example() + "\""));
        }
        if (others > 0) parts.add("others (" + String.format(java.util.Locale.ROOT, "%,d", others) + ")");
        return String.join("; ", parts);
    }
}
