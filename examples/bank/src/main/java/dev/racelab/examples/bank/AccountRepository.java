package dev.racelab.examples.bank;

import dev.racelab.library.OptimisticUpdate;
import dev.racelab.retry.Retrier;
import dev.racelab.retry.RetryPolicy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * A bank's accounts in one table {@code (id, balance, version)}, balances in cents. Three ways
 * to deposit, one broken and two fixed, and a transfer that locks both rows.
 *
 * <pre>{@code
 * AccountRepository accounts = new AccountRepository(dataSource, "accounts");
 * accounts.create();
 * accounts.reset(1, 0);
 * accounts.depositAtomic(1, 10);
 * TransferOutcome t = accounts.transfer(1, 2, 5);
 * }</pre>
 */
public class AccountRepository {
    /** Patient enough for a few dozen clients on one row: the deadline (60 s) is the real bound. */
    public static final RetryPolicy DEFAULT_RETRY = RetryPolicy.exponentialJitter(Duration.ofMillis(1), Duration.ofMillis(50), 1000);

    private final DataSource dataSource;
    private final String table;
    private final OptimisticUpdate balances;
    private final Retrier retrier;

    /** Accounts in {@code table} (a plain SQL identifier), optimistic deposits retried by {@link #DEFAULT_RETRY}. */
    public AccountRepository(DataSource dataSource, String table) {
        this(dataSource, table, Retrier.of(DEFAULT_RETRY));
    }

    public AccountRepository(DataSource dataSource, String table, Retrier retrier) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.retrier = Objects.requireNonNull(retrier, "retrier");
        // OptimisticUpdate checks that the table is a plain identifier, which keeps the SQL below safe too.
        this.balances = OptimisticUpdate.on(dataSource, table, "balance", "version");
        this.table = table;
    }

    public String table() {
        return table;
    }

    public void create() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, balance BIGINT NOT NULL, version BIGINT NOT NULL DEFAULT 0)");
        }
    }

    public void drop() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + table);
        }
    }

    /** Opens account {@code id} with {@code balance}, replacing any account of that id. */
    public void reset(long id, long balance) throws SQLException {
        if (balance < 0) throw new IllegalArgumentException("balance must be >= 0, was " + balance);
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE id = ?")) {
                ps.setLong(1, id);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (id, balance, version) VALUES (?, ?, 0)")) {
                ps.setLong(1, id);
                ps.setLong(2, balance);
                ps.executeUpdate();
            }
        }
    }

    /** @throws NoSuchAccountException when there is no account {@code id} */
    public long balance(long id) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT balance FROM " + table + " WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw new NoSuchAccountException(id);
                return rs.getLong(1);
            }
        }
    }

    /** The money in all accounts together: transfers only move it. */
    public long total() throws SQLException {
        return aggregate("COALESCE(SUM(balance), 0)");
    }

    /** The lowest balance of any account (0 with no accounts): below 0 is an overdraft. */
    public long lowestBalance() throws SQLException {
        return aggregate("COALESCE(MIN(balance), 0)");
    }

    /**
     * BROKEN, as in seed 003: reads the balance, adds in Java, writes the sum back. Two deposits
     * that both read before either writes write the same sum, and one of them is lost.
     */
    public void depositReadThenWrite(long id, long amount) throws SQLException, InterruptedException {
        positive("amount", amount);
        try (Connection c = dataSource.getConnection()) {
            long balance;
            try (PreparedStatement ps = c.prepareStatement("SELECT balance FROM " + table + " WHERE id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) throw new NoSuchAccountException(id);
                    balance = rs.getLong(1);
                }
            }
            afterRead(id, balance);
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET balance = ? WHERE id = ?")) {
                ps.setLong(1, balance + amount);
                ps.setLong(2, id);
                ps.executeUpdate();
            }
        }
    }

    /**
     * Runs between {@link #depositReadThenWrite}'s read and its write; does nothing. A test
     * overrides it to hold two deposits there at once, which makes their lost update certain.
     */
    protected void afterRead(long id, long balanceRead) throws InterruptedException {
    }

    /** Fixed: the database adds, in one statement, so no deposit can overwrite another. */
    public void depositAtomic(long id, long amount) throws SQLException {
        positive("amount", amount);
        try (Connection c = dataSource.getConnection();
             // version moves too, so an optimistic writer racing this one sees the row changed.
             PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET balance = balance + ?, version = version + 1 WHERE id = ?")) {
            ps.setLong(1, amount);
            ps.setLong(2, id);
            if (ps.executeUpdate() == 0) throw new NoSuchAccountException(id);
        }
    }

    /**
     * Fixed the optimistic way, by racelab-core's {@link OptimisticUpdate}: the write names the
     * version it read, a write that finds the version moved lost its race and is tried again.
     *
     * @return true when deposited; false when every retry lost its race (nothing was written)
     */
    public boolean depositOptimistic(long id, long amount) {
        positive("amount", amount);
        try {
            return balances.add(id, amount, retrier).applied();
        } catch (dev.racelab.core.NoSuchCellException e) {
            throw new NoSuchAccountException(id);
        }
    }

    /**
     * Moves {@code amount} from one account to another in one transaction. Both rows are locked
     * (SELECT ... FOR UPDATE) in id order, so two opposite transfers queue instead of deadlocking,
     * and the balance checked is the one the transfer writes over.
     *
     * @return TRANSFERRED, or INSUFFICIENT_FUNDS when {@code from} holds less than {@code amount} (nothing moved)
     */
    public TransferOutcome transfer(long from, long to, long amount) throws SQLException {
        positive("amount", amount);
        if (from == to) throw new IllegalArgumentException("from and to must be different accounts, both were " + from);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                long first = Math.min(from, to);
                long firstBalance = lockBalance(c, first);
                long secondBalance = lockBalance(c, Math.max(from, to));
                long available = from == first ? firstBalance : secondBalance;
                if (available < amount) {
                    c.rollback();
                    return TransferOutcome.INSUFFICIENT_FUNDS;
                }
                add(c, from, -amount);
                add(c, to, amount);
                c.commit();
                return TransferOutcome.TRANSFERRED;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c, e);
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private long lockBalance(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT balance FROM " + table + " WHERE id = ? FOR UPDATE")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw new NoSuchAccountException(id);
                return rs.getLong(1);
            }
        }
    }

    private void add(Connection c, long id, long amount) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET balance = balance + ?, version = version + 1 WHERE id = ?")) {
            ps.setLong(1, amount);
            ps.setLong(2, id);
            ps.executeUpdate();
        }
    }

    private long aggregate(String expression) throws SQLException {
        try (Connection c = dataSource.getConnection();
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT " + expression + " FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The first failure is the one to report; a failed rollback rides along with it. */
    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static void positive(String field, long value) {
        if (value <= 0) throw new IllegalArgumentException(field + " must be > 0, was " + value);
    }
}
