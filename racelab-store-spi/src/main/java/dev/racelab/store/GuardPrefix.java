package dev.racelab.store;

/** A guard-key prefix, taken literally, as each store's pattern language needs it. */
public final class GuardPrefix {
    private GuardPrefix() {
    }

    /** A SQL LIKE pattern (with {@code ESCAPE '!'}) matching keys that start with {@code prefix}. */
    public static String sqlLike(String prefix) {
        return prefix.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
    }

    /** A Redis glob (SCAN MATCH) matching keys that start with {@code namespace + prefix}. */
    public static String redisGlob(String namespace, String prefix) {
        return namespace + prefix.replaceAll("([\\\\*?\\[\\]])", "\\\\$1") + "*";
    }
}
