package dev.racelab.library;

import dev.racelab.core.NoSuchCellException;
import dev.racelab.core.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * A read and a write that the database itself refuses when they come from an older lease
 * holder, the check racelab's {@code lock-fenced} strategy proves under a paused holder. The
 * read raises the row's fence to the holder's token
 * ({@code UPDATE ... SET fence = ? WHERE id = ? AND fence <= ?}, then the value, in one
 * transaction); the write lands only while no larger token has been there
 * ({@code UPDATE ... SET value = ?, fence = ? WHERE id = ? AND fence <= ?}).
 *
 * <p>Why the read is fenced too: a holder paused past its lease still carries its old token.
 * Were only writes checked, it could write between the next holder's read and that holder's
 * write; the next holder would then overwrite it with a value computed before it, and the stale
 * holder's acknowledged write would be lost. With the fenced read, the next holder's read has
 * raised the fence already, so the stale write matches no row and is reported as refused.
 *
 * <pre>{@code
 * FencedWrite balances = FencedWrite.on(dataSource, "accounts", "balance", "fence");
 * Optional<Boolean> written = locks.withLease("account:42", Duration.ofSeconds(5), fence -> {
 *     Optional<Long> balance = balances.read(42, fence, Long.class);
 *     return balance.isPresent() && balances.write(42, balance.get() + 10, fence);
 * });
 * }</pre>
 *
 * <p>The fence column is an integer that starts at 0; tokens come from a {@link LeaseLock} and
 * only grow. A holder may read and write as often as it likes under its own token.
 */
public final class FencedWrite {
    private final DataSource dataSource;
    private final String table;
    private final String idColumn;
    private final String update;
    private final String raiseFence;
    private final String select;

    private FencedWrite(DataSource dataSource, String table, String valueColumn, String fenceColumn, String idColumn) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.table = SqlName.check("table", table);
        SqlName.check("valueColumn", valueColumn);
        SqlName.check("fenceColumn", fenceColumn);
        this.idColumn = SqlName.check("idColumn", idColumn);
        this.update = "UPDATE " + table + " SET " + valueColumn + " = ?, " + fenceColumn + " = ? WHERE " + idColumn + " = ? AND "
                + fenceColumn + " <= ?";
        this.raiseFence = "UPDATE " + table + " SET " + fenceColumn + " = ? WHERE " + idColumn + " = ? AND " + fenceColumn + " <= ?";
        this.select = "SELECT " + valueColumn + " FROM " + table + " WHERE " + idColumn + " = ?";
    }

    /**
     * Fenced writes to rows of {@code table} keyed by its {@code id} column.
     *
     * @param dataSource  where the table is
     * @param table       the table
     * @param valueColumn the column written
     * @param fenceColumn the integer column holding the largest token that wrote the row
     * @return the helper
     */
    public static FencedWrite on(DataSource dataSource, String table, String valueColumn, String fenceColumn) {
        return new FencedWrite(dataSource, table, valueColumn, fenceColumn, "id");
    }

    /**
     * Fenced writes keyed by another column.
     *
     * @param dataSource  where the table is
     * @param table       the table
     * @param valueColumn the column written
     * @param fenceColumn the integer column holding the largest token that wrote the row
     * @param idColumn    the column that identifies a row
     * @return the helper
     */
    public static FencedWrite on(DataSource dataSource, String table, String valueColumn, String fenceColumn, String idColumn) {
        return new FencedWrite(dataSource, table, valueColumn, fenceColumn, idColumn);
    }

    /**
     * Reads row {@code id}'s value and raises its fence to {@code fence}, in one transaction, so
     * no holder with a smaller token can write it after this read; nothing changes when a larger
     * token has been there already.
     *
     * @param id    the row's key
     * @param fence the reader's fencing token (from its lease), at least 1
     * @param type  the value's Java type, such as {@code Long.class}
     * @param <T>   the value's type
     * @return the value; empty when a newer holder has read or written the row
     * @throws dev.racelab.core.NoSuchCellException when no row has that id
     * @throws StoreException when the database fails
     */
    public <T> Optional<T> read(Object id, long fence, Class<T> type) {
        checkFence(fence);
        Objects.requireNonNull(type, "type");
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                Optional<T> value = readIn(c, id, fence, type);
                c.commit();
                return value;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new StoreException("fenced read of " + table + " failed: " + e.getMessage(), e, false);
        }
    }

    private <T> Optional<T> readIn(Connection c, Object id, long fence, Class<T> type) throws SQLException {
        boolean raised;
        try (PreparedStatement ps = c.prepareStatement(raiseFence)) {
            ps.setLong(1, fence);
            ps.setObject(2, id);
            ps.setLong(3, fence);
            raised = ps.executeUpdate() == 1;
        }
        try (PreparedStatement ps = c.prepareStatement(select)) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw new NoSuchCellException(String.valueOf(id), "no row in " + table + " has " + idColumn + " = " + id);
                return raised ? Optional.of(rs.getObject(1, type)) : Optional.empty();
            }
        }
    }

    /**
     * Writes {@code value} to row {@code id} unless a holder with a larger token than
     * {@code fence} has read or written it.
     *
     * @param id    the row's key
     * @param value the new value
     * @param fence the writer's fencing token (from its lease), at least 1
     * @return true when written; false when the row is absent or a newer holder has read or written it
     * @throws StoreException when the database fails
     */
    public boolean write(Object id, Object value, long fence) {
        checkFence(fence);
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(update)) {
            if (!c.getAutoCommit()) c.setAutoCommit(true);
            ps.setObject(1, value);
            ps.setLong(2, fence);
            ps.setObject(3, id);
            ps.setLong(4, fence);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StoreException("fenced write to " + table + " failed: " + e.getMessage(), e, true);
        }
    }

    private static void checkFence(long fence) {
        if (fence < 1) throw new IllegalArgumentException("fence must be a lease's token, at least 1, was " + fence);
    }
}
