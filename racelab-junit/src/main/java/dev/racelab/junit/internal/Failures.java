package dev.racelab.junit.internal;

import static dev.racelab.junit.internal.invariants.Words.count;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Why invocations failed, by exception and message, the first few kinds kept, for the verdict's last line. */
final class Failures {
    private static final int KINDS = 5;
    private final Map<String, Long> byKind = new LinkedHashMap<>();
    private long others;

    synchronized void add(Throwable t) {
        String kind = describe(t);
        if (byKind.containsKey(kind) || byKind.size() < KINDS) byKind.merge(kind, 1L, Long::sum);
        else others++;
    }

    synchronized void refused() {
        byKind.merge("refused (returned false)", 1L, Long::sum);
    }

    static String describe(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + oneLine(m));
    }

    static String oneLine(String s) {
        String line = s.replaceAll("\\s+", " ").trim();
        return line.length() > 160 ? line.substring(0, 157) + "..." : line;
    }

    synchronized String summary() {
        List<String> parts = new ArrayList<>();
        byKind.forEach((k, n) -> parts.add(k + " (" + count(n) + ")"));
        if (others > 0) parts.add("others (" + count(others) + ")");
        return String.join("; ", parts);
    }
}
