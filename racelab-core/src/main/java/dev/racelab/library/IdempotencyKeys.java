package dev.racelab.library;

import dev.racelab.core.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Work done at most once per key: the key is inserted in the same transaction as the work's
 * own writes, so a retried request (a client's retry, a redelivered message) finds the key and
 * gets the first answer back instead of doing the work again. Two requests with one key at the
 * same moment: the second waits on the first's uncommitted key row, then sees it committed and
 * does nothing; if the first rolled back, the second does the work.
 *
 * <pre>{@code
 * IdempotencyKeys keys = IdempotencyKeys.on(dataSource, "idempotency_keys").createTableIfAbsent();
 * IdempotencyKeys.Once charge = keys.once(request.key(), connection -> {
 *     try (var ps = connection.prepareStatement("UPDATE accounts SET balance = balance - ? WHERE id = ?")) {
 *         ps.setLong(1, request.amount());
 *         ps.setLong(2, request.account());
 *         ps.executeUpdate();
 *     }
 *     return "charged " + request.amount();
 * });
 * respond(charge.result()); // the same answer the first time and on every repeat
 * }</pre>
 *
 * <p>Works on PostgreSQL ({@code ON CONFLICT DO NOTHING}) and MariaDB/MySQL ({@code INSERT IGNORE}).
 */
public final class IdempotencyKeys {
    /** The work guarded by a key; it writes on the connection it is given, inside the key's transaction. */
    @FunctionalInterface
    public interface Work {
        /**
         * Does the work.
         *
         * @param connection the transaction's connection; do not commit or close it
         * @return the answer to store with the key and return on every repeat
         * @throws SQLException to roll back the key and the work together
         */
        String run(Connection connection) throws SQLException;
    }

    /**
     * The answer for one key.
     *
     * @param firstTime true when this call did the work; false when an earlier one had
     * @param result    the answer the work returned the first time
     */
    public record Once(boolean firstTime, String result) {}

    private final DataSource dataSource;
    private final String table;

    private IdempotencyKeys(DataSource dataSource, String table) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.table = SqlName.check("table", table);
    }

    /**
     * Keys kept in {@code table}: {@code (k VARCHAR(200) PRIMARY KEY, result TEXT)}.
     *
     * @param dataSource where the table is
     * @param table      the table's name
     * @return the helper
     */
    public static IdempotencyKeys on(DataSource dataSource, String table) {
        return new IdempotencyKeys(dataSource, table);
    }

    /**
     * Creates the key table when it does not exist.
     *
     * @return this helper
     * @throws StoreException when the database fails
     */
    public IdempotencyKeys createTableIfAbsent() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            if (!c.getAutoCommit()) c.setAutoCommit(true);
            s.execute("CREATE TABLE IF NOT EXISTS " + table + " (k VARCHAR(200) NOT NULL PRIMARY KEY, result TEXT)");
        } catch (SQLException e) {
            throw new StoreException("cannot create " + table + ": " + e.getMessage(), e, false);
        }
        return this;
    }

    /**
     * Runs {@code work} if no committed call has used {@code key}; otherwise returns that call's answer.
     *
     * @param key  the request's idempotency key, at most 200 characters
     * @param work the work
     * @return whether this call did the work, and the answer
     * @throws StoreException when the database or the work fails; the key is then not kept
     */
    public Once once(String key, Work work) {
        if (key == null || key.isEmpty() || key.length() > 200) {
            throw new IllegalArgumentException("key must be 1 to 200 characters, was " + (key == null ? "null" : key.length() + " long"));
        }
        Objects.requireNonNull(work, "work");
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                Once once = claimOrRead(c, key, work);
                c.commit();
                return once;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new StoreException("idempotent work for key '" + key + "' failed: " + e.getMessage(), e, false);
        }
    }

    private Once claimOrRead(Connection c, String key, Work work) throws SQLException {
        boolean postgres = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres");
        String claim = postgres ? "INSERT INTO " + table + " (k) VALUES (?) ON CONFLICT (k) DO NOTHING"
                : "INSERT IGNORE INTO " + table + " (k) VALUES (?)";
        int claimed;
        try (PreparedStatement ps = c.prepareStatement(claim)) {
            ps.setString(1, key);
            claimed = ps.executeUpdate();
        }
        if (claimed == 1) {
            String result = work.run(c);
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET result = ? WHERE k = ?")) {
                ps.setString(1, result);
                ps.setString(2, key);
                ps.executeUpdate();
            }
            return new Once(true, result);
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT result FROM " + table + " WHERE k = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw new SQLException("key '" + key + "' was taken but its row is not visible");
                return new Once(false, rs.getString(1));
            }
        }
    }
}
