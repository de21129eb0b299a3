package dev.racelab.internal.sqlwait;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The server's lock-wait view, asked about sessions whose state the test makes: one that waits on another's row lock,
 * and the same sessions once a deadlock between them was broken and they wait for nothing. MariaDB's view is read from
 * SHOW ENGINE INNODB STATUS, whose "latest detected deadlock" section also names thread ids and LOCK WAIT lines: a
 * session found there is not waiting now.
 */
class LockWaitsTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private static Connection open(LockWaits view) throws SQLException {
        return DriverManager.getConnection(view == LockWaits.POSTGRES ? "jdbc:postgresql://127.0.0.1:5432/test?user=postgres"
                : "jdbc:mariadb://127.0.0.1:3306/test?user=root");
    }

    @ParameterizedTest
    @EnumSource(LockWaits.class)
    void aSessionWaitsWhileAnotherHoldsItsRowAndNotAfterTheirDeadlockWasBroken(LockWaits view) throws Exception {
        String table = "rl_lockwait_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection monitor = open(view); Connection a = open(view); Connection b = open(view)) {
            try (Statement s = monitor.createStatement()) {
                s.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, v INT NOT NULL)");
                s.execute("INSERT INTO " + table + " VALUES (1, 0), (2, 0)");
            }
            try {
                long sessionA = view.sessionId(a);
                long sessionB = view.sessionId(b);
                a.setAutoCommit(false);
                b.setAutoCommit(false);
                update(a, table, 1);
                update(b, table, 2);
                assertThat(view.blockers(monitor, sessionA)).as("a holds row 1 and waits for nothing").isEmpty();

                CompletableFuture<Void> aWaits = CompletableFuture.runAsync(() -> updateOrRollBack(a, table, 2));
                awaitWaiting(view, monitor, sessionA);
                if (view == LockWaits.POSTGRES) {
                    assertThat(view.blockers(monitor, sessionA)).as("the session a waits for").contains(List.of(sessionB));
                }
                // b now closes the cycle: the server breaks the deadlock by rolling one of them back
                updateOrRollBack(b, table, 1);
                aWaits.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                a.rollback();
                b.rollback();

                assertThat(view.blockers(monitor, sessionA)).as("a, after the deadlock, waits for nothing").isEmpty();
                assertThat(view.blockers(monitor, sessionB)).as("b, after the deadlock, waits for nothing").isEmpty();
                try (Statement s = a.createStatement()) {
                    s.executeQuery("SELECT v FROM " + table + " WHERE id = 1").close();
                }
                assertThat(view.blockers(monitor, sessionA)).as("a, in a transaction that only read").isEmpty();
                a.rollback();
            } finally {
                try (Statement s = monitor.createStatement()) {
                    s.execute("DROP TABLE IF EXISTS " + table);
                }
            }
        }
    }

    private static void update(Connection c, String table, int id) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE " + table + " SET v = v + 1 WHERE id = " + id);
        }
    }

    /** The deadlock's victim is told so by an error; either side may be the one. */
    private static void updateOrRollBack(Connection c, String table, int id) {
        try {
            update(c, table, id);
        } catch (SQLException deadlockVictim) {
            try {
                c.rollback();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static void awaitWaiting(LockWaits view, Connection monitor, long session) throws SQLException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        Optional<List<Long>> blockers = view.blockers(monitor, session);
        while (blockers.isEmpty() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            blockers = view.blockers(monitor, session);
        }
        assertThat(blockers).as("session " + session + " waits for the other's row").isPresent();
    }
}
