package dev.racelab.internal.probe.sql;

import java.util.Locale;

/** The four SQL-standard isolation levels, as a session asks for them. */
public enum IsolationLevel {
    READ_UNCOMMITTED("read uncommitted"),
    READ_COMMITTED("read committed"),
    REPEATABLE_READ("repeatable read"),
    SERIALIZABLE("serializable");

    private final String words;

    IsolationLevel(String words) {
        this.words = words;
    }

    /** As SQL writes it: READ COMMITTED. */
    public String sql() {
        return words.toUpperCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return words;
    }

    /** "read committed", "READ_COMMITTED", "read-committed"; null when it names no level. */
    public static IsolationLevel parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT).replace('_', ' ').replace('-', ' ').replaceAll("\\s+", " ");
        for (IsolationLevel level : values()) if (level.words.equals(t)) return level;
        return null;
    }
}
