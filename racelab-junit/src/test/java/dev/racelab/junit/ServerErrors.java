package dev.racelab.junit;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import dev.racelab.internal.sqlwait.LockWaits;
import javax.sql.DataSource;

/**
 * The errors a real server raises when transactions collide, each forced with two connections in a
 * table of its own: a deadlock, a unique violation, a lock refused at once (NOWAIT) and, on
 * PostgreSQL, a serialization failure. Blocking is forced by order: the second connection's statement
 * that must wait runs on a thread of its own while the first goes on.
 */
final class ServerErrors implements AutoCloseable {
    private final DataSource ds;
    private final String table;
    private final boolean postgres;
    private final ExecutorService other = Executors.newSingleThreadExecutor();

    ServerErrors(DataSource ds, String table, boolean postgres) throws SQLException {
        this.ds = ds;
        this.table = table;
        this.postgres = postgres;
        exec("CREATE TABLE " + table + " (id INT PRIMARY KEY, v INT NOT NULL)");
    }

    private void exec(String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private void rows() throws SQLException {
        exec("DELETE FROM " + table);
        exec("INSERT INTO " + table + " (id, v) VALUES (1, 0), (2, 0)");
    }

    private static Connection tx(Connection c) throws SQLException {
        c.setAutoCommit(false);
        return c;
    }

    private static void run(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** Each of two transactions locks one row, then asks for the other's: the server ends one of them. */
    SQLException deadlock() throws Exception {
        rows();
        LockWaits waits = postgres ? LockWaits.POSTGRES : LockWaits.MARIADB;
        try (Connection a = tx(ds.getConnection()); Connection b = tx(ds.getConnection()); Connection monitor = ds.getConnection()) {
            long sessionA = waits.sessionId(a);
            if (postgres) run(a, "SET deadlock_timeout = '50ms'");
            run(a, "UPDATE " + table + " SET v = v + 1 WHERE id = 1");
            run(b, "UPDATE " + table + " SET v = v + 1 WHERE id = 2");
            Future<SQLException> waiting = other.submit(() -> failure(a, "UPDATE " + table + " SET v = v + 1 WHERE id = 2"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (waits.blockers(monitor, sessionA).isEmpty()) {
                if (System.nanoTime() > deadline) throw new IllegalStateException("the first transaction never waited for the lock");
                Thread.onSpinWait();
            }
            SQLException mine = failure(b, "UPDATE " + table + " SET v = v + 1 WHERE id = 1");
            SQLException theirs = waiting.get(30, TimeUnit.SECONDS);
            a.rollback();
            b.rollback();
            SQLException e = mine != null ? mine : theirs;
            if (e == null) throw new IllegalStateException("no deadlock");
            return e;
        }
    }

    private static SQLException failure(Connection c, String sql) {
        try {
            run(c, sql);
            return null;
        } catch (SQLException e) {
            return e;
        }
    }

    /** Two inserts of one key: the second refused. */
    SQLException uniqueViolation() throws SQLException {
        rows();
        try (Connection c = ds.getConnection()) {
            SQLException e = failure(c, "INSERT INTO " + table + " (id, v) VALUES (1, 0)");
            if (e == null) throw new IllegalStateException("the duplicate key was accepted");
            return e;
        }
    }

    /** One transaction holds a row lock; another asks for it with NOWAIT. */
    SQLException nowait() throws SQLException {
        rows();
        try (Connection a = tx(ds.getConnection()); Connection b = tx(ds.getConnection())) {
            run(a, "SELECT v FROM " + table + " WHERE id = 1 FOR UPDATE");
            SQLException e = failure(b, "SELECT v FROM " + table + " WHERE id = 1 FOR UPDATE NOWAIT");
            a.rollback();
            b.rollback();
            if (e == null) throw new IllegalStateException("NOWAIT got the lock");
            return e;
        }
    }

    /** PostgreSQL: a REPEATABLE READ transaction updates a row another committed since its snapshot. */
    SQLException serializationFailure() throws SQLException {
        rows();
        try (Connection a = tx(ds.getConnection()); Connection b = ds.getConnection()) {
            a.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            run(a, "SELECT v FROM " + table + " WHERE id = 1");
            run(b, "UPDATE " + table + " SET v = v + 1 WHERE id = 1");
            SQLException e = failure(a, "UPDATE " + table + " SET v = v + 1 WHERE id = 1");
            a.rollback();
            if (e == null) throw new IllegalStateException("the update of a changed row was accepted");
            return e;
        }
    }

    @Override
    public void close() throws SQLException {
        other.shutdownNow();
        exec("DROP TABLE IF EXISTS " + table);
    }
}
