package dev.racelab.library;

import dev.racelab.core.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * A write that the database itself refuses when it comes from an older lease holder:
 * {@code UPDATE ... SET value = ?, fence = ? WHERE id = ? AND fence < ?}. A holder that was
 * paused past its lease still carries its old token; by the time it writes, the next holder has
 * written with a larger one, so the stale write matches no row and is reported as refused.
 * This is the check racelab's {@code lock-fenced} strategy proves under a paused holder.
 *
 * <pre>{@code
 * FencedWrite balances = FencedWrite.on(dataSource, "accounts", "balance", "fence");
 * Optional<Boolean> written = locks.withLease("account:42", Duration.ofSeconds(5),
 *         fence -> balances.write(42, newBalance, fence));
 * }</pre>
 *
 * <p>The fence column is an integer that starts at 0; tokens come from a {@link LeaseLock} and
 * only grow.
 */
public final class FencedWrite {
    private final DataSource dataSource;
    private final String table;
    private final String update;

    private FencedWrite(DataSource dataSource, String table, String valueColumn, String fenceColumn, String idColumn) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.table = SqlName.check("table", table);
        SqlName.check("valueColumn", valueColumn);
        SqlName.check("fenceColumn", fenceColumn);
        SqlName.check("idColumn", idColumn);
        this.update = "UPDATE " + table + " SET " + valueColumn + " = ?, " + fenceColumn + " = ? WHERE " + idColumn + " = ? AND "
                + fenceColumn + " < ?";
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
     * Writes {@code value} to row {@code id} if no write with {@code fence} or a larger token came first.
     *
     * @param id    the row's key
     * @param value the new value
     * @param fence the writer's fencing token (from its lease), at least 1
     * @return true when written; false when the row is absent or a newer holder has written it
     * @throws StoreException when the database fails
     */
    public boolean write(Object id, Object value, long fence) {
        if (fence < 1) throw new IllegalArgumentException("fence must be a lease's token, at least 1, was " + fence);
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
}
