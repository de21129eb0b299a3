package dev.racelab.internal.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * racelab's tables and their version, kept in {@code racelab_schema_version} (one row).
 * Opening a store brings an older schema up to date, one numbered step at a time. The steps
 * are written for both dialects with plain DDL and metadata checks (no {@code IF NOT EXISTS}
 * on columns, which MySQL lacks), so a step that a crash left half done runs again safely.
 *
 * <p>Only one process migrates: the others wait on a session lock and then find the version
 * current. A database already at the latest version costs one SELECT and takes no lock, so
 * twenty worker JVMs opening at once do not queue.
 */
final class Schema {
    static final String VERSION_TABLE = "racelab_schema_version";
    private static final String LOCK = "racelab_schema_migration";

    /** One step from version {@code n - 1} to {@code n}. */
    private interface Step {
        void apply(Connection c, Dialect dialect) throws SQLException;
    }

    /**
     * Version 1: the tables racelab has had from the start (databases made before versioning
     * are at 0 and get them as they are, data kept). Version 2: a fence per cell, the highest
     * lease token the cell has accepted, for fenced writes.
     */
    private static final List<Step> STEPS = List.of(
            (c, d) -> {
                execute(c, "CREATE TABLE IF NOT EXISTS " + JdbcStore.KEYED_TABLE
                        + " (k VARCHAR(200) NOT NULL PRIMARY KEY, v BIGINT NOT NULL, version BIGINT NOT NULL)" + d.tableOptions());
                execute(c, "CREATE TABLE IF NOT EXISTS " + JdbcStore.KEYLESS_TABLE
                        + " (k VARCHAR(200) NOT NULL, v BIGINT NOT NULL, version BIGINT NOT NULL)" + d.tableOptions());
                execute(c, "CREATE TABLE IF NOT EXISTS " + JdbcStore.GUARD_TABLE
                        + " (k VARCHAR(200) NOT NULL PRIMARY KEY)" + d.tableOptions());
            },
            (c, d) -> {
                for (String table : List.of(JdbcStore.KEYED_TABLE, JdbcStore.KEYLESS_TABLE)) {
                    if (!columnExists(c, table, "fence")) execute(c, "ALTER TABLE " + table + " ADD COLUMN fence BIGINT NOT NULL DEFAULT 0");
                }
            });

    /** The version this code writes and expects. */
    static final int LATEST = STEPS.size();

    private Schema() {
    }

    /** Brings the connection's database to {@link #LATEST}; returns the version it found. */
    static int migrate(Connection c, Dialect dialect) throws SQLException {
        int found = version(c);
        if (found == LATEST) return found;
        if (found > LATEST) {
            throw new SQLException("racelab's tables are at schema version " + found + ", newer than this racelab ("
                    + LATEST + "); use a newer racelab", "RLSCH");
        }
        if (!dialect.lockSession(c, LOCK)) throw new SQLException("another racelab kept the schema migration lock", "RLSCH");
        try {
            int at = version(c); // another process may have migrated while this one waited
            for (int next = at + 1; next <= LATEST; next++) {
                STEPS.get(next - 1).apply(c, dialect);
                setVersion(c, next);
            }
            return found;
        } finally {
            dialect.unlockSession(c, LOCK);
        }
    }

    /** 0 for a database racelab has not versioned (it may hold version 1's tables all the same). */
    static int version(Connection c) throws SQLException {
        if (!tableExists(c, VERSION_TABLE)) return 0;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT version FROM " + VERSION_TABLE + " WHERE id = 1")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    private static void setVersion(Connection c, int version) throws SQLException {
        execute(c, "CREATE TABLE IF NOT EXISTS " + VERSION_TABLE + " (id INT NOT NULL PRIMARY KEY, version INT NOT NULL)");
        try (PreparedStatement up = c.prepareStatement("UPDATE " + VERSION_TABLE + " SET version = ? WHERE id = 1")) {
            up.setInt(1, version);
            if (up.executeUpdate() == 1) return;
        }
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO " + VERSION_TABLE + " (id, version) VALUES (1, ?)")) {
            ins.setInt(1, version);
            ins.executeUpdate();
        }
    }

    /** In the connection's own database and schema only: a table of that name elsewhere is not ours. */
    static boolean tableExists(Connection c, String table) throws SQLException {
        try (ResultSet rs = c.getMetaData().getTables(c.getCatalog(), c.getSchema(), table, null)) {
            return rs.next();
        }
    }

    static boolean columnExists(Connection c, String table, String column) throws SQLException {
        try (ResultSet rs = c.getMetaData().getColumns(c.getCatalog(), c.getSchema(), table, column)) {
            return rs.next();
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
