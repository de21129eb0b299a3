package dev.racelab.internal.store.jdbc;

import dev.racelab.core.FailReason;
import dev.racelab.store.Capability;
import dev.racelab.store.Isolation;
import dev.racelab.store.LockMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumSet;
import java.util.Set;

/** Everything that differs between PostgreSQL and MariaDB/MySQL, and nothing else. */
public enum Dialect {
    POSTGRES("PostgreSQL", "40P01") {
        @Override
        String tableOptions() {
            return "";
        }

        @Override
        boolean updateReturns() {
            return true;
        }

        @Override
        String insertIgnoring(String table) {
            return "INSERT INTO " + table + " (k) VALUES (?) ON CONFLICT DO NOTHING";
        }

        @Override
        String connectionHeadroomQuery() {
            return "SELECT current_setting('max_connections')::int - (SELECT count(*) FROM pg_stat_activity)";
        }

        @Override
        String sessionInit() {
            return "SET lock_timeout = '" + LOCK_TIMEOUT_SECONDS + "s'";
        }

        @Override
        String lockClause(LockMode mode) {
            return mode == LockMode.FOR_NO_KEY_UPDATE ? " FOR NO KEY UPDATE" : " FOR UPDATE";
        }

        @Override
        FailReason lostRace(SQLException e) {
            return switch (String.valueOf(e.getSQLState())) {
                case "40001" -> FailReason.SERIALIZATION;
                case "40P01" -> FailReason.DEADLOCK;
                case "55P03" -> FailReason.LOCK_TIMEOUT;
                default -> null;
            };
        }

        @Override
        boolean lockAdvisory(Connection c, String name) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                ps.setLong(1, fnv1a64(name));
                ps.executeQuery().close();
                return true; // a timeout arrives as SQLState 55P03 through lock_timeout
            }
        }

        @Override
        void releaseAdvisory(Connection c, String name) {
            // transaction-scoped: released by commit or rollback
        }

        @Override
        boolean lockSession(Connection c, String name) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_lock(?)")) {
                ps.setLong(1, fnv1a64(name));
                ps.executeQuery().close();
                return true;
            }
        }

        @Override
        void unlockSession(Connection c, String name) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                ps.setLong(1, fnv1a64(name));
                ps.executeQuery().close();
            }
        }
    },

    MYSQL("MariaDB/MySQL", "1213") {
        @Override
        String tableOptions() {
            return " ENGINE=InnoDB";
        }

        /*
         * JDBC's setAutoCommit(false) and back costs MariaDB two extra round trips per
         * transaction (and setTransactionIsolation two more, set and reset). Explicit
         * statements on an auto-commit connection cost none, like sysbench's BEGIN.
         */
        @Override
        void begin(Connection c, Isolation isolation) throws SQLException {
            try (Statement st = c.createStatement()) {
                if (isolation == Isolation.SERIALIZABLE) st.execute("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE");
                st.execute("START TRANSACTION");
            }
        }

        @Override
        void commit(Connection c) throws SQLException {
            execute(c, "COMMIT");
        }

        @Override
        void rollback(Connection c) throws SQLException {
            execute(c, "ROLLBACK");
        }

        @Override
        void end(Connection c) {
            // the connection never left auto-commit
        }

        @Override
        String insertIgnoring(String table) {
            return "INSERT IGNORE INTO " + table + " (k) VALUES (?)";
        }

        @Override
        String connectionHeadroomQuery() {
            return "SELECT @@max_connections - (SELECT COUNT(*) FROM information_schema.PROCESSLIST)";
        }

        @Override
        String sessionInit() {
            return "SET SESSION innodb_lock_wait_timeout = " + LOCK_TIMEOUT_SECONDS;
        }

        @Override
        String lockClause(LockMode mode) {
            if (mode == LockMode.FOR_NO_KEY_UPDATE) {
                throw new UnsupportedOperationException("MariaDB/MySQL has no FOR NO KEY UPDATE");
            }
            return " FOR UPDATE";
        }

        @Override
        FailReason lostRace(SQLException e) {
            // MariaDB reports a deadlock with SQLState 40001 too, so the vendor code decides.
            return switch (e.getErrorCode()) {
                case 1213 -> FailReason.DEADLOCK;
                case 1205 -> FailReason.LOCK_TIMEOUT;
                default -> "40001".equals(e.getSQLState()) ? FailReason.SERIALIZATION : null;
            };
        }

        @Override
        boolean lockAdvisory(Connection c, String name) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement("SELECT GET_LOCK(?, ?)")) {
                ps.setString(1, mysqlLockName(name));
                ps.setInt(2, LOCK_TIMEOUT_SECONDS);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1) == 1; // 0 = timed out, NULL = error
                }
            }
        }

        @Override
        void releaseAdvisory(Connection c, String name) throws SQLException {
            // GET_LOCK belongs to the session, not the transaction: it must be given back by hand.
            try (PreparedStatement ps = c.prepareStatement("SELECT RELEASE_LOCK(?)")) {
                ps.setString(1, mysqlLockName(name));
                ps.executeQuery().close();
            }
        }

        @Override
        boolean lockSession(Connection c, String name) throws SQLException {
            return lockAdvisory(c, name); // GET_LOCK is session-scoped already
        }

        @Override
        void unlockSession(Connection c, String name) throws SQLException {
            releaseAdvisory(c, name);
        }
    };

    /** How long a row or advisory lock is waited for before the attempt counts as lock-timeout. */
    public static final int LOCK_TIMEOUT_SECONDS = 30;

    private final String displayName;
    private final String deadlockCode;

    Dialect(String displayName, String deadlockCode) {
        this.displayName = displayName;
        this.deadlockCode = deadlockCode;
    }

    /** How the server names a deadlock to its clients. */
    public String deadlockCode() {
        return deadlockCode;
    }

    public String displayName() {
        return displayName;
    }

    /** Starts a transaction on a connection that is in auto-commit mode. */
    void begin(Connection c, Isolation isolation) throws SQLException {
        c.setAutoCommit(false);
        if (isolation == Isolation.SERIALIZABLE) c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
    }

    void commit(Connection c) throws SQLException {
        c.commit();
    }

    void rollback(Connection c) throws SQLException {
        c.rollback();
    }

    /** Returns the connection to auto-commit once the transaction is over. */
    void end(Connection c) throws SQLException {
        c.setAutoCommit(true);
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /** What follows the column list in CREATE TABLE. */
    abstract String tableOptions();

    /** Whether an UPDATE can answer the row it wrote ({@code UPDATE ... RETURNING}); MariaDB 10.11's cannot. */
    boolean updateReturns() {
        return false;
    }


    /** Inserts a guard key; zero rows (not an error, which would abort a PostgreSQL transaction) when it exists. */
    abstract String insertIgnoring(String table);

    abstract String sessionInit();

    /** Connections the server still accepts: its limit minus those open now. */
    abstract String connectionHeadroomQuery();

    abstract String lockClause(LockMode mode);

    /** The race this error signals, or null when it is not one of the store's lost-race signals. */
    abstract FailReason lostRace(SQLException e);

    /** What a SQL store of this dialect can do: declared here once, for every store that speaks it. */
    public Set<Capability> capabilities() {
        Set<Capability> caps = EnumSet.of(Capability.READ_WRITE, Capability.ATOMIC_ADD, Capability.CAS,
                Capability.TX, Capability.ROW_LOCK, Capability.SERIALIZABLE, Capability.ADVISORY_LOCK,
                Capability.KEYLESS_TABLE, Capability.GUARD_ROW, Capability.ATOMIC_GUARD, Capability.FENCE);
        if (this == POSTGRES) caps.add(Capability.ROW_LOCK_NO_KEY);
        return caps;
    }

    /** Takes the named lock for the current transaction; false when it was not granted in time. */
    abstract boolean lockAdvisory(Connection c, String name) throws SQLException;

    /** Gives back a lock taken by {@link #lockAdvisory}, after the transaction has ended. */
    abstract void releaseAdvisory(Connection c, String name) throws SQLException;

    /** Takes a lock held by the session until {@link #unlockSession}, whatever transactions do; false on timeout. */
    abstract boolean lockSession(Connection c, String name) throws SQLException;

    abstract void unlockSession(Connection c, String name) throws SQLException;

    /** MySQL lock names are limited to 64 characters, so long names are hashed. */
    static String mysqlLockName(String name) {
        return "racelab:" + Long.toHexString(fnv1a64(name));
    }

    /** A stable 64-bit hash, so every process maps a name to the same advisory lock. */
    static long fnv1a64(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            h ^= (b & 0xff);
            h *= 0x100000001b3L;
        }
        return h;
    }

    /** MariaDB's "Got error N during COMMIT". */
    private static final int ER_ERROR_DURING_COMMIT = 1180;

    /** Class 08 is a broken connection: whatever was in flight may or may not have landed. */
    static boolean connectionLost(SQLException e) {
        String state = e.getSQLState();
        // 08: the connection broke. 57P01-57P03: the server is shutting down or restarting and cut
        // this session off, possibly right after its commit landed (a restart test caught that one).
        // 25S03: MariaDB Connector/J's failover broke the connection mid-transaction and reconnected
        // to another host (a Galera lab saw it during COMMITs that had landed).
        // 1180 (error during COMMIT): a Galera node that left the Primary component as it committed; its
        // write set may have been certified on the majority already (a Galera lab's transfer run
        // counted two such refused commits as not applied, and 151 units were then unexplained).
        return state != null && (state.startsWith("08") || state.startsWith("57P0") || state.equals("25S03"))
                || e.getErrorCode() == ER_ERROR_DURING_COMMIT;
    }

    /**
     * Walks the cause chain: drivers sometimes wrap the server's error. Returns the first
     * lost-race reason found, or null.
     */
    FailReason lostRaceInChain(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SQLException sql) {
                FailReason r = lostRace(sql);
                if (r != null) return r;
            }
        }
        return null;
    }
}
