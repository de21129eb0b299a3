package dev.racelab.junit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/** A user's repository, as the tests race it: one table of accounts, deposits broken and fixed. */
final class Accounts {
    /** Runs between a deposit's read and its write: a test forces its race there. */
    @FunctionalInterface
    interface Between {
        void run() throws Exception;
    }

    private final DataSource ds;
    private final String table;

    Accounts(DataSource ds, String table) {
        this.ds = ds;
        this.table = table;
    }

    String table() {
        return table;
    }

    /** The same repository on another DataSource (the interleaved one), over the same table. */
    Accounts on(DataSource other) {
        return new Accounts(other, table);
    }

    void create() throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, balance BIGINT NOT NULL)");
        }
    }

    void drop() throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + table);
        }
    }

    void reset(int id, long balance) throws SQLException {
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE id = ?")) {
                ps.setInt(1, id);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (id, balance) VALUES (?, ?)")) {
                ps.setInt(1, id);
                ps.setLong(2, balance);
                ps.executeUpdate();
            }
        }
    }

    long balance(int id) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT balance FROM " + table + " WHERE id = ?")) {
            ps.setInt(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw new IllegalStateException("no account " + id);
                return rs.getLong(1);
            }
        }
    }

    /** Seed 003's broken shape: read the balance, add in Java, write it back. */
    void depositReadThenWrite(int id, long amount, Between between) throws Exception {
        try (Connection c = ds.getConnection()) {
            long balance;
            try (PreparedStatement ps = c.prepareStatement("SELECT balance FROM " + table + " WHERE id = ?")) {
                ps.setInt(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    balance = rs.getLong(1);
                }
            }
            between.run();
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET balance = ? WHERE id = ?")) {
                ps.setLong(1, balance + amount);
                ps.setInt(2, id);
                ps.executeUpdate();
            }
        }
    }

    void depositReadThenWrite(int id, long amount) throws Exception {
        depositReadThenWrite(id, amount, () -> { });
    }

    /** The fix: the database adds. */
    void depositAtomic(int id, long amount) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET balance = balance + ? WHERE id = ?")) {
            ps.setLong(1, amount);
            ps.setInt(2, id);
            ps.executeUpdate();
        }
    }

    /** The pessimistic fix: read FOR UPDATE in a transaction, so a second deposit waits for the first. */
    void depositLocked(int id, long amount) throws Exception {
        depositLocked(id, amount, () -> { });
    }

    /** {@code afterLock} runs once the row is locked. */
    void depositLocked(int id, long amount, Between afterLock) throws Exception {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                long balance;
                try (PreparedStatement ps = c.prepareStatement("SELECT balance FROM " + table + " WHERE id = ? FOR UPDATE")) {
                    ps.setInt(1, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        balance = rs.getLong(1);
                    }
                }
                afterLock.run();
                try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET balance = ? WHERE id = ?")) {
                    ps.setLong(1, balance + amount);
                    ps.setInt(2, id);
                    ps.executeUpdate();
                }
                c.commit();
            } catch (Exception e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /** n trivial statements on a connection of its own: n + 1 steps, touching no row; {@code afterEach} runs after each step. */
    void statements(int n, Between afterEach) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            afterEach.run();
            for (int i = 0; i < n; i++) {
                s.executeQuery("SELECT 1").close();
                afterEach.run();
            }
        }
    }

    /**
     * Moves {@code amount} from one account to the other in one transaction, updating {@code from} first:
     * two transfers in opposite directions that both pass {@code afterFirst} deadlock. On PostgreSQL the
     * transaction asks for a short deadlock_timeout, so the server finds the deadlock at once.
     */
    void transfer(int from, int to, long amount, boolean postgres, Between afterFirst) throws Exception {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (postgres) {
                    try (Statement s = c.createStatement()) {
                        s.execute("SET LOCAL deadlock_timeout = '50ms'");
                    }
                }
                add(c, from, -amount);
                afterFirst.run();
                add(c, to, amount);
                c.commit();
            } catch (Exception e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private void add(Connection c, int id, long amount) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET balance = balance + ? WHERE id = ?")) {
            ps.setLong(1, amount);
            ps.setInt(2, id);
            ps.executeUpdate();
        }
    }

    /**
     * spring-framework #23549's shape: the read and the write inside {@code synchronized}, the commit after it, so a
     * second deposit may read before the first commits and lose it.
     */
    void depositSynchronizedThenCommit(int id, long amount, Object monitor) throws Exception {
        depositLockedInJavaThenCommit(id, amount, body -> {
            synchronized (monitor) {
                body.run();
            }
        });
    }

    /** The same with a java.util.concurrent lock: a thread waiting for it is WAITING, not BLOCKED. */
    void depositLockedInJavaThenCommit(int id, long amount, java.util.concurrent.locks.Lock lock) throws Exception {
        depositLockedInJavaThenCommit(id, amount, body -> {
            lock.lock();
            try {
                body.run();
            } finally {
                lock.unlock();
            }
        });
    }

    /** Runs its body under a Java lock. */
    @FunctionalInterface
    interface Guard {
        void around(Between body) throws Exception;
    }

    private void depositLockedInJavaThenCommit(int id, long amount, Guard guard) throws Exception {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                guard.around(() -> {
                    long balance;
                    try (PreparedStatement ps = c.prepareStatement("SELECT balance FROM " + table + " WHERE id = ?")) {
                        ps.setInt(1, id);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            balance = rs.getLong(1);
                        }
                    }
                    try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET balance = ? WHERE id = ?")) {
                        ps.setLong(1, balance + amount);
                        ps.setInt(2, id);
                        ps.executeUpdate();
                    }
                });
                c.commit();
            } catch (Exception e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /** Whether the row can be locked at once: no other session holds it. */
    boolean lockableNow(int id) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("SELECT balance FROM " + table + " WHERE id = ? FOR UPDATE NOWAIT")) {
                ps.setInt(1, id);
                ps.executeQuery().close();
                return true;
            } catch (SQLException e) {
                return false;
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        }
    }
}
