package dev.racelab.internal.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.racelab.core.Cell;
import dev.racelab.core.Change;
import dev.racelab.core.FailReason;
import dev.racelab.core.Operation;
import dev.racelab.core.Outcome;
import dev.racelab.core.StoreException;
import dev.racelab.store.BatchWrite;
import dev.racelab.store.Capability;
import dev.racelab.store.CellStore;
import dev.racelab.store.FenceStore;
import dev.racelab.store.GuardPrefix;
import dev.racelab.store.GuardStore;
import dev.racelab.store.GuardedWriteStore;
import dev.racelab.store.Isolation;
import dev.racelab.store.Layout;
import dev.racelab.store.StoreErrors;
import dev.racelab.store.TransactionStore;
import dev.racelab.store.TxBody;
import dev.racelab.internal.store.jdbc.ConnectionCells.LostRace;
import dev.racelab.internal.store.jdbc.ConnectionCells.SqlFailure;
import dev.racelab.internal.store.jdbc.ConnectionCells.Statements;
import dev.racelab.internal.traits.ConnectionLimited;
import dev.racelab.internal.traits.DeadlockCodes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * PostgreSQL and MariaDB/MySQL behind one store: the SQL is the same but for what
 * {@link Dialect} holds. Cells live in {@code racelab_cell} (or {@code racelab_cell_keyless},
 * which has no primary key), guard rows in {@code racelab_guard}, the schema's version in
 * {@code racelab_schema_version}. racelab touches no other table. Every primitive is written
 * once, in {@link ConnectionCells}; this class borrows a connection for it or runs it in a
 * transaction.
 */
public final class JdbcStore implements CellStore, GuardStore, GuardedWriteStore, TransactionStore, FenceStore, DeadlockCodes,
        ConnectionLimited {
    public static final String KEYED_TABLE = "racelab_cell";
    public static final String KEYLESS_TABLE = "racelab_cell_keyless";
    /** Guard rows (order rows, likes, idempotency keys): one unique key each. */
    public static final String GUARD_TABLE = "racelab_guard";

    private final String name;
    private final String identity;
    private final Dialect dialect;
    private final HikariDataSource pool;
    private final Statements sql;

    private JdbcStore(String name, String identity, Dialect dialect, Layout layout, HikariDataSource pool) {
        this.name = name;
        this.identity = identity;
        this.dialect = dialect;
        this.pool = pool;
        this.sql = Statements.of(name, dialect, layout == Layout.KEYED ? KEYED_TABLE : KEYLESS_TABLE);
    }

    /**
     * Opens a pool of {@code poolSize} connections and brings racelab's tables to the current
     * {@link Schema} version, so every primitive works on a database racelab has never seen,
     * or saw with an older racelab. The URL is checked with one plain connection first, so an
     * unreachable server or a rejected login fails fast with the driver's own words and
     * {@code hint} (where to set the URL).
     */
    public static JdbcStore open(String name, Dialect dialect, String url, Layout layout, int poolSize, String hint) {
        JdbcUrls.probe(name, url, hint);
        HikariConfig cfg = new HikariConfig();
        cfg.setPoolName("racelab-" + name);
        cfg.setJdbcUrl(url);
        cfg.setMaximumPoolSize(poolSize);
        cfg.setMinimumIdle(poolSize);
        cfg.setConnectionTimeout(30_000);
        cfg.setConnectionInitSql(dialect.sessionInit());
        String identity = name + "@" + Long.toHexString(Dialect.fnv1a64(JdbcUrls.redact(url)));
        JdbcStore store = new JdbcStore(name, identity, dialect, layout, new HikariDataSource(cfg));
        try {
            store.migrate();
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    private void migrate() {
        try (Connection c = pool.getConnection()) {
            Schema.migrate(c, dialect);
        } catch (SQLException e) {
            throw failure("bring racelab's tables to schema version " + Schema.LATEST, e, false);
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
    public String identity() {
        return identity;
    }

    @Override
    public Set<Capability> capabilities() {
        return dialect.capabilities();
    }

    @Override
    public String deadlockCode() {
        return dialect.deadlockCode();
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

    // --- cells and guards, auto-committed: each borrows a connection for one primitive -------

    @Override
    public Cell read(String key) {
        return autoCommit(false, cells -> cells.read(key));
    }

    @Override
    public void write(String key, long value) {
        autoCommit(true, cells -> {
            cells.write(key, value);
            return null;
        });
    }

    @Override
    public boolean compareAndSet(String key, long expectedVersion, long newValue) {
        return autoCommit(true, cells -> cells.compareAndSet(key, expectedVersion, newValue));
    }

    @Override
    public boolean add(Change change, long floor) {
        return autoCommit(true, cells -> cells.add(change, floor));
    }

    @Override
    public Optional<Cell> addAndGet(Change change, long floor) {
        return autoCommit(true, cells -> cells.addAndGet(change, floor));
    }

    @Override
    public boolean insertGuard(String key) {
        return autoCommit(true, cells -> cells.insertGuard(key));
    }

    @Override
    public Optional<Cell> readFenced(String key, long fence) {
        return autoCommit(true, cells -> cells.readFenced(key, fence));
    }

    @Override
    public boolean writeFenced(String key, long value, long fence) {
        return autoCommit(true, cells -> cells.writeFenced(key, value, fence));
    }

    @Override
    public boolean removeGuard(String key) {
        return autoCommit(true, cells -> cells.removeGuard(key));
    }

    /** {@code write}: a broken connection leaves it unknown whether the primitive landed. */
    private <T> T autoCommit(boolean write, Function<ConnectionCells, T> primitive) {
        try (Connection c = pool.getConnection()) {
            return primitive.apply(new ConnectionCells(sql, c));
        } catch (SqlFailure f) {
            throw failure(f.operation, f.sql, write && Dialect.connectionLost(f.sql));
        } catch (SQLException e) {
            throw failure("get a connection", e, false);
        }
    }

    // --- bulk statements of a run's set-up and clean-up --------------------------------------

    private void replaceCells(java.sql.Connection c, List<Cell> cells) throws SQLException {
        c.setAutoCommit(false);
        try (PreparedStatement del = c.prepareStatement("DELETE FROM " + sql.table() + " WHERE k = ?");
             PreparedStatement ins = c.prepareStatement("INSERT INTO " + sql.table() + " (k, v, version) VALUES (?, ?, ?)")) {
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
    }

    /** How often a create that deadlocked with another store's create is tried again. */
    private static final int CREATE_ATTEMPTS = 5;

    @Override
    public void createCells(List<Cell> cells) {
        String operation = "create cells " + cells.stream().map(Cell::key).toList();
        inConnection(operation, c -> {
            // Stores created at once (8 runs starting together) can deadlock on InnoDB's gap locks
            // of the DELETEs of keys not there yet; the create is idempotent, so it goes again.
            for (int attempt = 1; ; attempt++) {
                try {
                    replaceCells(c, cells);
                    break;
                } catch (SQLException e) {
                    boolean deadlock = "40001".equals(e.getSQLState()) || "40P01".equals(e.getSQLState());
                    if (!deadlock || attempt == CREATE_ATTEMPTS) throw e;
                }
            }
            return null;
        });
    }

    @Override
    public void deleteCells(Collection<String> keys) {
        inConnection("delete cells " + keys, c -> {
            try (PreparedStatement del = c.prepareStatement("DELETE FROM " + sql.table() + " WHERE k = ?")) {
                for (String key : keys) {
                    del.setString(1, key);
                    del.executeUpdate();
                }
            }
            return null;
        });
    }

    @Override
    public List<String> guards(String prefix) {
        return inConnection("list guards under " + prefix, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT k FROM " + GUARD_TABLE + " WHERE k LIKE ? ESCAPE '!'")) {
                ps.setString(1, GuardPrefix.sqlLike(prefix));
                List<String> keys = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) keys.add(rs.getString(1));
                }
                return keys;
            }
        });
    }

    @Override
    public void deleteGuards(String prefix) {
        inConnection("delete guards under " + prefix, c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + GUARD_TABLE + " WHERE k LIKE ? ESCAPE '!'")) {
                ps.setString(1, GuardPrefix.sqlLike(prefix));
                ps.executeUpdate();
            }
            return null;
        });
    }

    private interface OnConnection<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T inConnection(String operation, OnConnection<T> body) {
        try (Connection c = pool.getConnection()) {
            return body.run(c);
        } catch (SQLException e) {
            throw failure(operation, e, false);
        }
    }

    // --- transactions ------------------------------------------------------------------------

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

    /**
     * One transaction: the batch's sum under the floor (PostgreSQL answers the row from the
     * UPDATE; MariaDB reads it back under the row lock the UPDATE holds), then every guard row
     * in one multi-row INSERT that skips existing keys: fewer rows than keys is a duplicate,
     * and the whole batch rolls back.
     */
    @Override
    public BatchWrite addBatch(Change sum, long floor, List<String> guards) {
        checkBatchSize(guards);
        Cell[] after = new Cell[1];
        Outcome outcome = inTransaction(Isolation.DEFAULT, tx -> {
            ConnectionCells cells = (ConnectionCells) tx;
            Optional<Cell> added = cells.addAndGet(sum, floor);
            if (added.isEmpty()) return Outcome.fail(FailReason.FLOOR);
            if (!cells.insertGuards(guards)) return Outcome.fail(FailReason.DUPLICATE);
            after[0] = added.get();
            return Outcome.ok();
        });
        return new BatchWrite(outcome, outcome.isOk() ? after[0] : null);
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
        ConnectionCells tx = new ConnectionCells(sql, c);
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
            SQLException cause = e instanceof SqlFailure f ? f.sql : (SQLException) e;
            rollbackQuietly(c);
            FailReason reason = dialect.lostRaceInChain(cause);
            if (reason != null) return Outcome.fail(reason);
            String what = committing ? "commit" : e instanceof SqlFailure f ? f.operation : "transaction";
            throw failure(what, cause, committing && Dialect.connectionLost(cause));
        } catch (RuntimeException e) {
            rollbackQuietly(c);
            throw e;
        } finally {
            afterTransaction(c, tx);
        }
    }

    /**
     * Gives back session-scoped locks and returns the connection to auto-commit. On a connection
     * the server cut off (a restart), both are moot: the session and its locks are gone. Failing
     * there must not turn a transaction that committed into an error the client takes for "not
     * applied", which is what a restart test caught.
     */
    private void afterTransaction(Connection c, ConnectionCells tx) {
        try {
            tx.releaseAdvisoryLocks();
            dialect.end(c);
        } catch (SQLException e) {
            if (Dialect.connectionLost(e) || isClosed(c)) return; // Hikari evicts the broken connection
            throw failure("end the transaction", e, false);
        }
    }

    private static boolean isClosed(Connection c) {
        try {
            return c.isClosed() || !c.isValid(1);
        } catch (SQLException e) {
            return true;
        }
    }

    private void rollbackQuietly(Connection c) {
        try {
            dialect.rollback(c);
        } catch (SQLException ignored) {
            // the connection is broken; Hikari evicts it when it is returned
        }
    }

    private StoreException failure(String operation, SQLException e, boolean maybeApplied) {
        return StoreErrors.failure(name, operation, e.getMessage() + " (SQLState " + e.getSQLState() + ", code " + e.getErrorCode() + ")",
                e, maybeApplied);
    }

    @Override
    public void close() {
        pool.close();
    }
}
