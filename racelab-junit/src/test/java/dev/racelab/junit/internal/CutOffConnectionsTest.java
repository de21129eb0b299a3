package dev.racelab.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What racelab does to a cut-off invocation's connections. The invocation's thread may still be running (JDBC ignores
 * interrupts), so its connection must never go back to the pool: closing a pooled connection from another thread rolls
 * it back and resets it to auto-commit while the thread may already be inside its next call, which then runs outside
 * the transaction and commits half of it. The connection is aborted instead: the server rolls back, every later call
 * fails, and the pool's next borrower gets another session.
 */
class CutOffConnectionsTest {
    private HikariDataSource pool;
    private String table;

    static String url(String server) {
        return server.equals("postgres") ? "jdbc:postgresql://127.0.0.1:5432/test?user=postgres"
                : "jdbc:mariadb://127.0.0.1:3306/test?user=root";
    }

    void open(String server) throws SQLException {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(url(server));
        c.setMaximumPoolSize(1); // one physical connection: the next borrower would get the cut-off one if it came back
        c.setMinimumIdle(0);
        c.setConnectionTimeout(10_000);
        pool = new HikariDataSource(c);
        table = "rl_cutoff_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection conn = pool.getConnection(); Statement s = conn.createStatement()) {
            s.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, balance BIGINT NOT NULL)");
            s.execute("INSERT INTO " + table + " (id, balance) VALUES (1, 100), (2, 100)");
        }
    }

    @AfterEach
    void close() throws SQLException {
        if (pool == null) return;
        try (Connection conn = pool.getConnection(); Statement s = conn.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + table);
        } finally {
            pool.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "mariadb"})
    void aCutOffInvocationsTransactionEndsAndItsConnectionIsNeverLentAgain(String server) throws Exception {
        open(server);
        InterleavedDataSource racelab = new InterleavedDataSource(pool);
        racelab.track();
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch cutOff = new CountDownLatch(1);
        AtomicLong session = new AtomicLong();
        AtomicReference<SQLException> secondHalf = new AtomicReference<>();
        Thread invocation = new Thread(() -> {
            try (Connection c = racelab.proxy().getConnection()) {
                c.setAutoCommit(false);
                session.set(sessionId(c, server));
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("UPDATE " + table + " SET balance = balance - 10 WHERE id = 1");
                }
                holding.countDown();
                awaitIgnoringInterrupts(cutOff); // its own Java code, where racelab cuts it off
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("UPDATE " + table + " SET balance = balance + 10 WHERE id = 2");
                    c.commit();
                } catch (SQLException e) {
                    secondHalf.set(e);
                }
            } catch (SQLException e) {
                // closing a connection racelab ended may fail too; the assertions below say what matters
            }
        }, "racelab-op");
        invocation.start();
        assertThat(holding.await(20, TimeUnit.SECONDS)).as("the invocation holds its first update").isTrue();

        racelab.release(invocation);
        cutOff.countDown();
        invocation.join(20_000);
        assertThat(invocation.isAlive()).isFalse();

        assertThat((Throwable) secondHalf.get()).as("the cut-off invocation's next statement").isNotNull();
        try (Connection c = pool.getConnection()) {
            assertThat(sessionId(c, server)).as("the pool's next borrower's session").isNotEqualTo(session.get());
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id, balance FROM " + table + " ORDER BY id")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(2)).as("account 1: the first half rolled back").isEqualTo(100);
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(2)).as("account 2: the second half never committed").isEqualTo(100);
            }
        }
    }

    private static long sessionId(Connection c, String server) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(server.equals("postgres") ? "SELECT pg_backend_pid()" : "SELECT CONNECTION_ID()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void awaitIgnoringInterrupts(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }
}
