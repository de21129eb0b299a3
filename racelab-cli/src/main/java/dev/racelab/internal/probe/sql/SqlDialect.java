package dev.racelab.internal.probe.sql;

import dev.racelab.core.UsageException;
import dev.racelab.internal.sqlwait.LockWaits;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;

/**
 * What differs between PostgreSQL and MariaDB for a probe: the workspace (a schema, a
 * database), how a session sets its level, and the lock-wait view that says a session is blocked.
 */
public enum SqlDialect {
    POSTGRES("PostgreSQL", List.of(IsolationLevel.READ_COMMITTED, IsolationLevel.REPEATABLE_READ, IsolationLevel.SERIALIZABLE)) {
        @Override
        String createWorkspace(String name) {
            return "CREATE SCHEMA " + name;
        }

        @Override
        String dropWorkspace(String name) {
            return "DROP SCHEMA IF EXISTS " + name + " CASCADE";
        }

        @Override
        String useWorkspace(String name) {
            return "SET search_path TO " + name;
        }

        @Override
        String setIsolation(IsolationLevel level) {
            return "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL " + level.sql();
        }


    },
    MARIADB("MariaDB", List.of(IsolationLevel.READ_UNCOMMITTED, IsolationLevel.READ_COMMITTED, IsolationLevel.REPEATABLE_READ,
            IsolationLevel.SERIALIZABLE)) {
        @Override
        String createWorkspace(String name) {
            return "CREATE DATABASE " + name;
        }

        @Override
        String dropWorkspace(String name) {
            return "DROP DATABASE IF EXISTS " + name;
        }

        @Override
        String useWorkspace(String name) {
            return "USE " + name;
        }

        @Override
        String setIsolation(IsolationLevel level) {
            return "SET SESSION TRANSACTION ISOLATION LEVEL " + level.sql();
        }


    };

    private final String product;
    private final List<IsolationLevel> levels;

    SqlDialect(String product, List<IsolationLevel> levels) {
        this.product = product;
        this.levels = levels;
    }

    abstract String createWorkspace(String name);

    abstract String dropWorkspace(String name);

    abstract String useWorkspace(String name);

    abstract String setIsolation(IsolationLevel level);

    /** Empty when the session waits for no lock; else the server sessions it waits for, as far as the server says. */
    Optional<List<Long>> lockWait(Connection monitor, long session) throws SQLException {
        return lockWaits().blockers(monitor, session);
    }

    /** The lock-wait view this dialect reads, shared with racelab-junit. */
    LockWaits lockWaits() {
        return this == POSTGRES ? LockWaits.POSTGRES : LockWaits.MARIADB;
    }

    public String product() {
        return product;
    }

    /**
     * The levels the server has as distinct levels. PostgreSQL accepts READ UNCOMMITTED but runs
     * it as READ COMMITTED (PostgreSQL manual, "Transaction Isolation"), so it is not listed.
     */
    public List<IsolationLevel> levels() {
        return levels;
    }

    /** The dialect of a JDBC URL: jdbc:postgresql:, jdbc:mariadb: or jdbc:mysql:. */
    public static SqlDialect ofUrl(String url) {
        if (url.startsWith("jdbc:postgresql:")) return POSTGRES;
        if (url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:")) return MARIADB;
        throw new UsageException("probe sql needs a SQL store (postgres, mysql or embedded); " + url.replaceAll("\\?.*", "")
                + " is not one");
    }

    long sessionId(Connection c) throws SQLException {
        return lockWaits().sessionId(c);
    }

    /** How many more connections the server accepts now: max_connections less the ones open. */
    long connectionHeadroom(Connection c) throws SQLException {
        String sql = this == POSTGRES
                ? "SELECT (SELECT setting::int FROM pg_settings WHERE name = 'max_connections') - (SELECT count(*) FROM pg_stat_activity)"
                : "SELECT @@max_connections - (SELECT COUNT(*) FROM information_schema.PROCESSLIST)";
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    boolean workspaceExists(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM information_schema.schemata WHERE schema_name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
