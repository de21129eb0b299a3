package dev.racelab.internal.store.jdbc;

import dev.racelab.core.Cell;
import dev.racelab.core.Change;
import dev.racelab.core.FailReason;
import dev.racelab.core.NoSuchCellException;
import dev.racelab.core.Operation;
import dev.racelab.core.StoreException;
import dev.racelab.store.LockMode;
import dev.racelab.store.Tx;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one implementation of the cell and guard primitives, over one connection. The store's
 * auto-commit calls borrow a connection and run these; a transaction runs them on its own.
 * A SQLException leaves as {@link SqlFailure}, naming the operation; the caller decides what
 * it means (a lost race inside a transaction, an unknown outcome on a broken connection).
 */
final class ConnectionCells implements Tx {
    private final Statements sql;
    private final Connection c;
    private final List<String> advisoryLocks = new ArrayList<>();

    ConnectionCells(Statements sql, Connection c) {
        this.sql = sql;
        this.c = c;
    }

    /** The connection this transaction runs on: what a test asks the server's lock-wait view about. */
    Connection connection() {
        return c;
    }

    @Override
    public Cell read(String key) {
        try {
            return select(key, "");
        } catch (SQLException e) {
            throw new SqlFailure("read " + key, e);
        }
    }

    @Override
    public Cell readForUpdate(String key, LockMode mode) {
        try {
            return select(key, sql.dialect().lockClause(mode));
        } catch (SQLException e) {
            throw new SqlFailure("lock " + key, e);
        }
    }

    @Override
    public void write(String key, long value) {
        try (PreparedStatement ps = c.prepareStatement(sql.write())) {
            ps.setLong(1, value);
            ps.setString(2, key);
            if (ps.executeUpdate() == 0) throw missing(key);
        } catch (SQLException e) {
            throw new SqlFailure("write " + key, e);
        }
    }

    @Override
    public boolean compareAndSet(String key, long expectedVersion, long newValue) {
        try (PreparedStatement ps = c.prepareStatement(sql.compareAndSet())) {
            ps.setLong(1, newValue);
            ps.setString(2, key);
            ps.setLong(3, expectedVersion);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new SqlFailure("compare-and-set " + key, e);
        }
    }

    @Override
    public boolean add(Change change, long floor) {
        try (PreparedStatement ps = c.prepareStatement(sql.add(floor))) {
            bindAdd(ps, change, floor);
            if (ps.executeUpdate() == 1) return true;
            // Zero rows: the floor refused it, or the cell is missing (select throws then).
            select(change.key(), "");
            if (floor == Operation.NO_FLOOR) throw missing(change.key());
            return false;
        } catch (SQLException e) {
            throw new SqlFailure("add to " + change.key(), e);
        }
    }

    /** Where the dialect can, the UPDATE answers the row it wrote: one round trip, and exactly this add's result. */
    @Override
    public Optional<Cell> addAndGet(Change change, long floor) {
        if (!sql.dialect().updateReturns()) return Tx.super.addAndGet(change, floor);
        try (PreparedStatement ps = c.prepareStatement(sql.addReturning(floor))) {
            bindAdd(ps, change, floor);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) return Optional.of(new Cell(change.key(), rs.getLong(1), rs.getLong(2)));
            }
            select(change.key(), ""); // throws when the cell is missing
            return Optional.empty();
        } catch (SQLException e) {
            throw new SqlFailure("add to " + change.key(), e);
        }
    }

    /** An add's parameters: the delta and the key, and with a floor the delta and the floor for its check. */
    private static void bindAdd(PreparedStatement ps, Change change, long floor) throws SQLException {
        ps.setLong(1, change.delta());
        ps.setString(2, change.key());
        if (floor != Operation.NO_FLOOR) {
            ps.setLong(3, change.delta());
            ps.setLong(4, floor);
        }
    }

    /** Raises the fence and reads, in one UPDATE ... RETURNING where the dialect has it; a refusal touches no row. */
    Optional<Cell> readFenced(String key, long fence) {
        boolean returns = sql.dialect().updateReturns();
        try (PreparedStatement ps = c.prepareStatement(returns ? sql.raiseFenceReturning() : sql.raiseFence())) {
            ps.setLong(1, fence);
            ps.setString(2, key);
            ps.setLong(3, fence);
            if (returns) {
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) return Optional.of(new Cell(key, rs.getLong(1), rs.getLong(2)));
                }
            } else if (ps.executeUpdate() == 1) {
                // Only a holder with a fence at least ours can write before this read: what it reads is no older.
                return Optional.of(select(key, ""));
            }
            select(key, ""); // throws when the cell is missing; otherwise a newer fence refused us
            return Optional.empty();
        } catch (SQLException e) {
            throw new SqlFailure("fenced read of " + key, e);
        }
    }

    boolean writeFenced(String key, long value, long fence) {
        try (PreparedStatement ps = c.prepareStatement(sql.writeFenced())) {
            ps.setLong(1, value);
            ps.setLong(2, fence);
            ps.setString(3, key);
            ps.setLong(4, fence);
            if (ps.executeUpdate() == 1) return true;
            select(key, "");
            return false;
        } catch (SQLException e) {
            throw new SqlFailure("fenced write of " + key, e);
        }
    }

    @Override
    public boolean insertGuard(String key) {
        return guardUpdate(sql.insertGuard(), key, "insert guard ");
    }

    /** Every key in one multi-row INSERT that skips existing rows; false when any was there already (or named twice). */
    boolean insertGuards(List<String> keys) {
        if (keys.isEmpty()) return true;
        String one = sql.insertGuard();
        String many = one.replace("VALUES (?)", "VALUES " + String.join(", ", java.util.Collections.nCopies(keys.size(), "(?)")));
        try (PreparedStatement ps = c.prepareStatement(many)) {
            for (int i = 0; i < keys.size(); i++) ps.setString(i + 1, keys.get(i));
            return ps.executeUpdate() == keys.size();
        } catch (SQLException e) {
            throw new SqlFailure("insert " + keys.size() + " guards from " + keys.get(0), e);
        }
    }

    @Override
    public boolean removeGuard(String key) {
        return guardUpdate(sql.removeGuard(), key, "remove guard ");
    }

    private boolean guardUpdate(String statement, String key, String verb) {
        try (PreparedStatement ps = c.prepareStatement(statement)) {
            ps.setString(1, key);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new SqlFailure(verb + key, e);
        }
    }

    @Override
    public void lockAdvisory(String lockName) {
        boolean granted;
        try {
            granted = sql.dialect().lockAdvisory(c, lockName);
        } catch (SQLException e) {
            throw new SqlFailure("advisory lock " + lockName, e);
        }
        if (!granted) throw new LostRace(FailReason.LOCK_TIMEOUT);
        advisoryLocks.add(lockName);
    }

    /** Runs after commit or rollback, so the next holder sees the committed value. */
    void releaseAdvisoryLocks() throws SQLException {
        for (String lockName : advisoryLocks) sql.dialect().releaseAdvisory(c, lockName);
        advisoryLocks.clear();
    }

    private Cell select(String key, String lockClause) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.select() + lockClause)) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw missing(key);
                Cell cell = new Cell(key, rs.getLong(1), rs.getLong(2));
                if (rs.next()) throw new StoreException("more than one row for cell '" + key + "' in " + sql.table(), null, false);
                return cell;
            }
        }
    }

    private NoSuchCellException missing(String key) {
        return new NoSuchCellException(key, "no cell '" + key + "' in " + sql.table() + " on " + sql.storeName());
    }

    /** A SQLException on its way out of the unchecked primitives, with the operation it broke. */
    static final class SqlFailure extends RuntimeException {
        final SQLException sql;
        final String operation;

        SqlFailure(String operation, SQLException sql) {
            super(sql);
            this.sql = sql;
            this.operation = operation;
        }
    }

    /** A lost race raised inside a transaction body; the transaction turns it into a FAIL outcome. */
    static final class LostRace extends RuntimeException {
        final FailReason reason;

        LostRace(FailReason reason) {
            super(reason.label(), null, false, false);
            this.reason = reason;
        }
    }

    /** The statements of one store, built once. */
    private static final String RETURNING = " RETURNING v, version";

    record Statements(String storeName, Dialect dialect, String table, String select, String write, String compareAndSet,
                      String addSql, String addWithFloor, String addSqlReturning, String addWithFloorReturning,
                      String insertGuard, String removeGuard, String raiseFence, String raiseFenceReturning,
                      String writeFenced) {
        static Statements of(String storeName, Dialect dialect, String table) {
            String add = "UPDATE " + table + " SET v = v + ?, version = version + 1 WHERE k = ?";
            return new Statements(storeName, dialect, table, "SELECT v, version FROM " + table + " WHERE k = ?",
                    "UPDATE " + table + " SET v = ?, version = version + 1 WHERE k = ?",
                    "UPDATE " + table + " SET v = ?, version = version + 1 WHERE k = ? AND version = ?",
                    add, add + " AND v + ? >= ?", add + RETURNING, add + " AND v + ? >= ?" + RETURNING,
                    dialect.insertIgnoring(JdbcStore.GUARD_TABLE),
                    "DELETE FROM " + JdbcStore.GUARD_TABLE + " WHERE k = ?",
                    "UPDATE " + table + " SET fence = ? WHERE k = ? AND fence <= ?",
                    "UPDATE " + table + " SET fence = ? WHERE k = ? AND fence <= ?" + RETURNING,
                    "UPDATE " + table + " SET v = ?, version = version + 1, fence = ? WHERE k = ? AND fence <= ?");
        }

        String add(long floor) {
            return floor == Operation.NO_FLOOR ? addSql : addWithFloor;
        }

        String addReturning(long floor) {
            return floor == Operation.NO_FLOOR ? addSqlReturning : addWithFloorReturning;
        }
    }
}
