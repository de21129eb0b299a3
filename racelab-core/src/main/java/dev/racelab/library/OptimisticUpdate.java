package dev.racelab.library;

import dev.racelab.core.FailReason;
import dev.racelab.core.NoSuchCellException;
import dev.racelab.core.Outcome;
import dev.racelab.core.StoreException;
import dev.racelab.retry.Retrier;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * racelab's {@code optimistic} strategy for a row of the application's own table: read the value
 * and its version, then {@code UPDATE ... SET value = ?, version = version + 1 WHERE id = ? AND
 * version = ?}. An update that matches no row lost its race to another writer and is tried again,
 * after the retrier's backoff. Each attempt is its own short transaction (autocommit), so no lock
 * is held between the read and the write.
 *
 * <pre>{@code
 * Retrier retrier = Retrier.of(RetryPolicy.exponentialJitter(Duration.ofMillis(1), Duration.ofMillis(50), 1000));
 * OptimisticUpdate balances = OptimisticUpdate.on(dataSource, "accounts", "balance", "version");
 * UpdateResult deposit = balances.add(42, 10, retrier);
 * UpdateResult withdrawal = balances.withFloor(0).add(42, -25, retrier); // BELOW_FLOOR instead of an overdraft
 * }</pre>
 *
 * <p>Works on PostgreSQL and MariaDB/MySQL; the value and version columns are integers.
 */
public final class OptimisticUpdate {
    private final DataSource dataSource;
    private final String read;
    private final String write;
    private final Long floor;
    private final String table;
    private final String valueColumn;
    private final String versionColumn;
    private final String idColumn;

    private OptimisticUpdate(DataSource dataSource, String table, String valueColumn, String versionColumn, String idColumn, Long floor) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        SqlName.check("table", table);
        SqlName.check("valueColumn", valueColumn);
        SqlName.check("versionColumn", versionColumn);
        SqlName.check("idColumn", idColumn);
        this.read = "SELECT " + valueColumn + ", " + versionColumn + " FROM " + table + " WHERE " + idColumn + " = ?";
        this.write = "UPDATE " + table + " SET " + valueColumn + " = ?, " + versionColumn + " = " + versionColumn + " + 1 WHERE "
                + idColumn + " = ? AND " + versionColumn + " = ?";
        this.floor = floor;
        this.table = table;
        this.valueColumn = valueColumn;
        this.versionColumn = versionColumn;
        this.idColumn = idColumn;
    }

    /**
     * Updates rows of {@code table} whose key column is {@code id}.
     *
     * @param dataSource    where the table is
     * @param table         the table (a plain identifier, optionally schema-qualified)
     * @param valueColumn   the integer column that changes
     * @param versionColumn the integer column that grows by one on every write
     * @return the helper; it holds no connection
     */
    public static OptimisticUpdate on(DataSource dataSource, String table, String valueColumn, String versionColumn) {
        return new OptimisticUpdate(dataSource, table, valueColumn, versionColumn, "id", null);
    }

    /**
     * The same helper with another key column.
     *
     * @param idColumn the column that identifies a row
     * @return a new helper
     */
    public OptimisticUpdate keyedBy(String idColumn) {
        return new OptimisticUpdate(dataSource, table, valueColumn, versionColumn, idColumn, floor);
    }

    /**
     * The same helper, refusing any change that would take the value below {@code floor}.
     *
     * @param floor the lowest value the row may hold, such as 0 for stock or a balance
     * @return a new helper
     */
    public OptimisticUpdate withFloor(long floor) {
        return new OptimisticUpdate(dataSource, table, valueColumn, versionColumn, idColumn, floor);
    }

    /**
     * Adds {@code amount} (negative to take) to the row {@code id}, retrying lost races as the retrier allows.
     *
     * @param id      the row's key
     * @param amount  the change
     * @param retrier how often and how patiently to retry
     * @return applied with the new value, or why not
     * @throws NoSuchCellException when no row has that key
     * @throws StoreException when the database fails for another reason than a lost race
     */
    public UpdateResult add(Object id, long amount, Retrier retrier) {
        Objects.requireNonNull(retrier, "retrier");
        long[] last = {0};
        Outcome outcome = retrier.run(() -> attempt(id, amount, last));
        UpdateResult.Kind kind = outcome.isOk() ? UpdateResult.Kind.APPLIED
                : outcome.reason() == FailReason.FLOOR ? UpdateResult.Kind.BELOW_FLOOR // not retryable: returned as it is
                : UpdateResult.Kind.CONFLICTS_EXHAUSTED;
        return new UpdateResult(kind, last[0], outcome.retries());
    }

    private Outcome attempt(Object id, long amount, long[] last) {
        boolean writing = false;
        try (Connection c = dataSource.getConnection()) {
            if (!c.getAutoCommit()) c.setAutoCommit(true);
            long value;
            long version;
            try (PreparedStatement ps = c.prepareStatement(read)) {
                ps.setObject(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) throw new NoSuchCellException(String.valueOf(id), "no row in " + table + " has " + idColumn + " = " + id);
                    value = rs.getLong(1);
                    version = rs.getLong(2);
                }
            }
            last[0] = value;
            long next = Math.addExact(value, amount);
            if (floor != null && next < floor) return Outcome.fail(FailReason.FLOOR);
            writing = true;
            try (PreparedStatement ps = c.prepareStatement(write)) {
                ps.setLong(1, next);
                ps.setObject(2, id);
                ps.setLong(3, version);
                if (ps.executeUpdate() == 0) return Outcome.fail(FailReason.CONFLICT);
            }
            last[0] = next;
            return Outcome.ok();
        } catch (SQLException e) {
            throw new StoreException("optimistic update of " + table + " failed: " + e.getMessage(), e, writing);
        }
    }
}
