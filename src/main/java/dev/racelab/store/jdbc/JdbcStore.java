package dev.racelab.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.racelab.core.Cell;
import dev.racelab.core.Change;
import dev.racelab.core.FailReason;
import dev.racelab.core.NoSuchCellException;
import dev.racelab.core.Operation;
import dev.racelab.core.Outcome;
import dev.racelab.core.StoreException;
import dev.racelab.store.Capability;
import dev.racelab.store.Isolation;
import dev.racelab.store.Layout;
import dev.racelab.store.LockMode;
import dev.racelab.store.Store;
import dev.racelab.store.Tx;
import dev.racelab.store.TxBody;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * PostgreSQL and MariaDB/MySQL behind one store: the SQL is the same but for what
 * {@link Dialect} holds. Cells live in {@code racelab_cell} (or {@code racelab_cell_keyless},
 * which has no primary key). racelab touches no other table.
 */
public final class JdbcStore implements Store {
    public static final String KEYED_TABLE = "racelab_cell";
    public static final String KEYLESS_TABLE = "racelab_cell_keyless";
    /** Guard rows (order rows, likes, idempotency keys): one unique key each. */
    public static final String GUARD_TABLE = "racelab_guard";

    private final String name;
    private final Dialect dialect;
    private final Layout layout;
    private final String table;
    private final HikariDataSource pool;

    private final String selectSql;
    private final String writeSql;
    private final String casSql;
    private final String addSql;
    private final String addWithFloorSql;
    private final String addReturningSql;
    private final String addWithFloorReturningSql;
    private final String insertGuardSql;

    private JdbcStore(String name, Dialect dialect, Layout layout, HikariDataSource pool) {
        this.name = name;
        this.dialect = dialect;
        this.layout = layout;
        this.table = layout == Layout.KEYED ? KEYED_TABLE : KEYLESS_TABLE;
        this.pool = pool;
        this.selectSql = "SELECT v, version FROM " + table + " WHERE k = ?";
        this.writeSql = "UPDATE " + table + " SET v = ?, version = version + 1 WHERE k = ?";
        this.casSql = "UPDATE " + table + " SET v = ?, version = version + 1 WHERE k = ? AND version = ?";
        this.addSql = "UPDATE " + table + " SET v = v + ?, version = version + 1 WHERE k = ?";
        this.addWithFloorSql = addSql + " AND v + ? >= ?";
        this.addReturningSql = addSql + " RETURNING v, version";
        this.addWithFloorReturningSql = addWithFloorSql + " RETURNING v, version";
        this.insertGuardSql = dialect.insertIgnoring(GUARD_TABLE);
    }

    /**
     * Opens a pool of {@code poolSize} connections and creates racelab's tables if they are
     * missing, so every primitive works on a database racelab has never seen. The URL is
     * checked with one plain connection first, so an unreachable server or a rejected login
     * fails fast with the driver's own words.
     */
    public static JdbcStore open(String name, Dialect dialect, String url, Layout layout, int poolSize) {
        JdbcUrls.probe(name, url);
        HikariConfig cfg = new HikariConfig();
        cfg.setPoolName("racelab-" + name);
        cfg.setJdbcUrl(url);
        cfg.setMaximumPoolSize(poolSize);
        cfg.setMinimumIdle(poolSize);
        cfg.setConnectionTimeout(30_000);
        cfg.setConnectionInitSql(dialect.sessionInit());
        JdbcStore store = new JdbcStore(name, dialect, layout, new HikariDataSource(cfg));
        try {
            store.ensureTables();
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    private void ensureTables() {
        try (Connection c = pool.getConnection()) {
            if (tablesExist(c)) return; // no DDL (and no metadata lock) on every open
            try (var st = c.createStatement()) {
                st.execute(dialect.createTable(table, layout == Layout.KEYED));
                st.execute(dialect.createGuardTable(GUARD_TABLE));
            } catch (SQLException e) {
                // Several processes opening a fresh database at once: the losers' errors are harmless.
                if (!tablesExist(c)) throw e;
            }
        } catch (SQLException e) {
            throw failure("create racelab's tables " + table + " and " + GUARD_TABLE, e, false);
        }
    }

    private boolean tablesExist(Connection c) throws SQLException {
        return tableExists(c, table) && tableExists(c, GUARD_TABLE);
    }

    /** In the connection's own database and schema only: a table of that name elsewhere is not ours. */
    private static boolean tableExists(Connection c, String table) throws SQLException {
        try (ResultSet rs = c.getMetaData().getTables(c.getCatalog(), c.getSchema(), table, null)) {
            return rs.next();
        }
    }

    public Dialect dialect() {
        return dialect;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Set<Capability> capabilities() {
        return dialect.capabilities();
    }

    @Override
    public int connectionHeadroom() {
        try (Connection c = pool.getConnection();
             var st = c.createStatement();
             ResultSet rs = st.executeQuery(dialect.connectionHeadroomQuery())) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw failure("count free connections", e, false);
        }
    }

    @Override
    public void createCells(List<Cell> cells) {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement del = c.prepareStatement("DELETE FROM " + table + " WHERE k = ?");
                 PreparedStatement ins = c.prepareStatement(
                         "INSERT INTO " + table + " (k, v, version) VALUES (?, ?, ?)")) {
                for (Cell cell : cells) {
                    del.setString(1, cell.key());
                    del.executeUpdate();
                    ins.setString(1, cell.key());
                    ins.setLong(2, cell.value());
                    ins.setLong(3, cell.version());
                    ins.executeUpdate();
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failure("create cells " + cells.stream().map(Cell::key).toList(), e, false);
        }
    }

    @Override
    public void deleteCells(Collection<String> keys) {
        try (Connection c = pool.getConnection();
             PreparedStatement del = c.prepareStatement("DELETE FROM " + table + " WHERE k = ?")) {
            for (String key : keys) {
                del.setString(1, key);
                del.executeUpdate();
            }
        } catch (SQLException e) {
            throw failure("delete cells " + keys, e, false);
        }
    }

    @Override
    public Cell read(String key) {
        try (Connection c = pool.getConnection()) {
            return select(c, key, "");
        } catch (SQLException e) {
            throw failure("read " + key, e, false);
        }
    }

    @Override
    public void write(String key, long value) {
        try (Connection c = pool.getConnection()) {
            update(c, writeSql, "write " + key, ps -> {
                ps.setLong(1, value);
                ps.setString(2, key);
            });
        } catch (SQLException e) {
            throw failure("write " + key, e, Dialect.connectionLost(e));
        }
    }

    @Override
    public boolean compareAndSet(String key, long expectedVersion, long newValue) {
        try (Connection c = pool.getConnection()) {
            return compareAndSet(c, key, expectedVersion, newValue);
        } catch (SQLException e) {
            throw failure("compare-and-set " + key, e, Dialect.connectionLost(e));
        }
    }

    private boolean compareAndSet(Connection c, String key, long expectedVersion, long newValue) throws SQLException {
        return update(c, casSql, null, ps -> {
            ps.setLong(1, newValue);
            ps.setString(2, key);
            ps.setLong(3, expectedVersion);
        }) == 1;
    }

    @Override
    public boolean add(Change change, long floor) {
        try (Connection c = pool.getConnection()) {
            return add(c, change, floor);
        } catch (SQLException e) {
            throw failure("add to " + change.key(), e, Dialect.connectionLost(e));
        }
    }

    private boolean add(Connection c, Change change, long floor) throws SQLException {
        if (floor == Operation.NO_FLOOR) {
            update(c, addSql, "add to " + change.key(), ps -> bindAdd(ps, change, floor));
            return true;
        }
        // Zero rows means the floor refused it, or the cell is missing: tell them apart.
        int rows = update(c, addWithFloorSql, null, ps -> bindAdd(ps, change, floor));
        if (rows == 0) select(c, change.key(), "");
        return rows == 1;
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

    /** On PostgreSQL the UPDATE answers the row it wrote: one round trip, and exactly this add's result. */
    @Override
    public Optional<Cell> addAndGet(Change change, long floor) {
        if (!dialect.updateReturns()) return Store.super.addAndGet(change, floor);
        String sql = floor == Operation.NO_FLOOR ? addReturningSql : addWithFloorReturningSql;
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bindAdd(ps, change, floor);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) return Optional.of(new Cell(change.key(), rs.getLong(1), rs.getLong(2)));
            }
            // No row: the floor refused it, or the cell is missing (select throws then).
            select(c, change.key(), "");
            return Optional.empty();
        } catch (SQLException e) {
            throw failure("add to " + change.key(), e, Dialect.connectionLost(e));
        }
    }

    @Override
    public boolean insertGuard(String key) {
        try (Connection c = pool.getConnection()) {
            return insertGuard(c, key);
        } catch (SQLException e) {
            throw failure("insert guard " + key, e, Dialect.connectionLost(e));
        }
    }

    private boolean insertGuard(Connection c, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(insertGuardSql)) {
            ps.setString(1, key);
            return ps.executeUpdate() == 1;
        }
    }

    @Override
    public List<String> guards(String prefix) {
        try (Connection c = pool.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT k FROM " + GUARD_TABLE + " WHERE k LIKE ? ESCAPE '!'")) {
                ps.setString(1, likePrefix(prefix));
                List<String> keys = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) keys.add(rs.getString(1));
                }
                return keys;
            }
        } catch (SQLException e) {
            throw failure("list guards under " + prefix, e, false);
        }
    }

    @Override
    public boolean removeGuard(String key) {
        try (Connection c = pool.getConnection()) {
            return removeGuard(c, key);
        } catch (SQLException e) {
            throw failure("remove guard " + key, e, Dialect.connectionLost(e));
        }
    }

    private boolean removeGuard(Connection c, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + GUARD_TABLE + " WHERE k = ?")) {
            ps.setString(1, key);
            return ps.executeUpdate() == 1;
        }
    }

    @Override
    public void deleteGuards(String prefix) {
        try (Connection c = pool.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + GUARD_TABLE + " WHERE k LIKE ? ESCAPE '!'")) {
                ps.setString(1, likePrefix(prefix));
                ps.executeUpdate();
            }
        } catch (SQLException e) {
            throw failure("delete guards under " + prefix, e, false);
        }
    }

    /** A LIKE pattern matching keys that start with {@code prefix}, taken literally. */
    static String likePrefix(String prefix) {
        return prefix.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
    }

    /** One transaction: every delta under the floor, in key order, then the guard row (or its release). */
    @Override
    public Outcome addGuarded(Operation op) {
        return inTransaction(Isolation.DEFAULT, tx -> {
            for (Change change : op.inLockOrder()) {
                if (!tx.add(change, op.floor())) return Outcome.fail(FailReason.FLOOR);
            }
            return tx.applyGuard(op);
        });
    }

    @Override
    public Outcome inTransaction(Isolation isolation, TxBody body) {
        try (Connection c = pool.getConnection()) {
            return transaction(c, isolation, body);
        } catch (SQLException e) {
            throw failure("open a transaction", e, false);
        }
    }

    private Outcome transaction(Connection c, Isolation isolation, TxBody body) throws SQLException {
        JdbcTx tx = new JdbcTx(c);
        dialect.begin(c, isolation);
        boolean committing = false;
        try {
            Outcome outcome = body.run(tx);
            if (outcome.isOk()) {
                committing = true;
                dialect.commit(c);
            } else {
                dialect.rollback(c);
            }
            return outcome;
        } catch (LostRace lost) {
            rollbackQuietly(c);
            return Outcome.fail(lost.reason);
        } catch (SqlFailure | SQLException e) {
            SQLException sql = e instanceof SqlFailure f ? f.sql : (SQLException) e;
            rollbackQuietly(c);
            FailReason reason = dialect.lostRaceInChain(sql);
            if (reason != null) return Outcome.fail(reason);
            String what = committing ? "commit" : e instanceof SqlFailure f ? f.operation : "transaction";
            throw failure(what, sql, committing && Dialect.connectionLost(sql));
        } catch (RuntimeException e) {
            rollbackQuietly(c);
            throw e;
        } finally {
            tx.releaseAdvisoryLocks();
            dialect.end(c);
        }
    }

    private void rollbackQuietly(Connection c) {
        try {
            dialect.rollback(c);
        } catch (SQLException ignored) {
            // the connection is broken; Hikari evicts it when it is returned
        }
    }

    private Cell select(Connection c, String key, String lockClause) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(selectSql + lockClause)) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw new NoSuchCellException(key, "no cell '" + key + "' in " + table + " on " + name);
                Cell cell = new Cell(key, rs.getLong(1), rs.getLong(2));
                if (rs.next()) throw new StoreException("more than one row for cell '" + key + "' in " + table, null, false);
                return cell;
            }
        }
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    /** Runs an update; with {@code mustTouch} set, zero rows means the cell is missing. */
    private int update(Connection c, String sql, String mustTouch, Binder binder) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            int rows = ps.executeUpdate();
            if (mustTouch != null && rows == 0) {
                throw new NoSuchCellException(null, mustTouch + ": no such cell in " + table + " on " + name);
            }
            return rows;
        }
    }

    private StoreException failure(String operation, SQLException e, boolean maybeApplied) {
        return new StoreException(name + ": " + operation + " failed: " + e.getMessage()
                + " (SQLState " + e.getSQLState() + ", code " + e.getErrorCode() + ")", e, maybeApplied);
    }

    @Override
    public void close() {
        pool.close();
    }

    /** A lost race raised inside a transaction body; turned into a FAIL outcome by {@link #transaction}. */
    private static final class LostRace extends RuntimeException {
        final FailReason reason;

        LostRace(FailReason reason) {
            super(reason.label(), null, false, false);
            this.reason = reason;
        }
    }

    /** Carries a SQLException through the unchecked {@link Tx} methods. */
    private static final class SqlFailure extends RuntimeException {
        final SQLException sql;
        final String operation;

        SqlFailure(String operation, SQLException sql) {
            super(sql);
            this.sql = sql;
            this.operation = operation;
        }
    }

    private final class JdbcTx implements Tx {
        private final Connection c;
        private final List<String> advisoryLocks = new ArrayList<>();

        JdbcTx(Connection c) {
            this.c = c;
        }

        @Override
        public Cell read(String key) {
            try {
                return select(c, key, "");
            } catch (SQLException e) {
                throw new SqlFailure("read " + key, e);
            }
        }

        @Override
        public Cell readForUpdate(String key, LockMode mode) {
            try {
                return select(c, key, dialect.lockClause(mode));
            } catch (SQLException e) {
                throw new SqlFailure("lock " + key, e);
            }
        }

        @Override
        public void write(String key, long value) {
            try {
                update(c, writeSql, "write " + key, ps -> {
                    ps.setLong(1, value);
                    ps.setString(2, key);
                });
            } catch (SQLException e) {
                throw new SqlFailure("write " + key, e);
            }
        }

        @Override
        public boolean compareAndSet(String key, long expectedVersion, long newValue) {
            try {
                return JdbcStore.this.compareAndSet(c, key, expectedVersion, newValue);
            } catch (SQLException e) {
                throw new SqlFailure("compare-and-set " + key, e);
            }
        }

        @Override
        public boolean add(Change change, long floor) {
            try {
                return JdbcStore.this.add(c, change, floor);
            } catch (SQLException e) {
                throw new SqlFailure("add to " + change.key(), e);
            }
        }

        @Override
        public boolean insertGuard(String key) {
            try {
                return JdbcStore.this.insertGuard(c, key);
            } catch (SQLException e) {
                throw new SqlFailure("insert guard " + key, e);
            }
        }

        @Override
        public boolean removeGuard(String key) {
            try {
                return JdbcStore.this.removeGuard(c, key);
            } catch (SQLException e) {
                throw new SqlFailure("remove guard " + key, e);
            }
        }

        @Override
        public void lockAdvisory(String lockName) {
            try {
                if (!dialect.lockAdvisory(c, lockName)) throw new LostRace(FailReason.LOCK_TIMEOUT);
                advisoryLocks.add(lockName);
            } catch (SQLException e) {
                throw new SqlFailure("advisory lock " + lockName, e);
            }
        }

        /** Runs after commit or rollback, so the next holder sees the committed value. */
        void releaseAdvisoryLocks() {
            for (String lockName : advisoryLocks) {
                try {
                    dialect.releaseAdvisory(c, lockName);
                } catch (SQLException e) {
                    throw failure("release advisory lock " + lockName, e, false);
                }
            }
        }
    }
}
