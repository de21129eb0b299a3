package dev.racelab.internal.probe.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racelab.core.Clock;
import dev.racelab.retry.RetryPolicy;
import dev.racelab.testing.TestStores;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * probe sql --mode load on seed 003's deposit, from two worker JVMs with two threads each. The
 * moment each test is about is forced, never hoped for: every session's transaction passes a
 * gate step, an advisory lock (PostgreSQL) or named lock (MariaDB) that the test holds from its
 * own connection, right after its read. The test releases the gate only once it sees, in the
 * server's own views, every transaction waiting there (or one there and the rest queued behind
 * its row lock), so every read has happened before any write. The gate is plain SQL in the
 * spec: a user could write the same step.
 */
class SqlLoadTest {
    private static final int INSTANCES = 2;
    private static final int THREADS = 2;
    private static final int CLIENTS = INSTANCES * THREADS;

    private final long key = ThreadLocalRandom.current().nextLong(1_000_000, Integer.MAX_VALUE);
    private final String marker = "read-" + key;

    private static LoadPlan plan(long iterations, Set<RetryOn> retryOn) {
        return new LoadPlan(THREADS, INSTANCES, iterations, retryOn, RetryPolicy.DEFAULT, Duration.ofSeconds(60));
    }

    /** The gate: wait until the test lets go of its lock; nothing else. */
    private String gate(String store) {
        return store.equals("mysql")
                ? "[\"SELECT GET_LOCK('racelab_gate_" + key + "', 120) AS gate\", \"SELECT RELEASE_LOCK('racelab_gate_" + key + "') AS open\"]"
                : "\"SELECT pg_advisory_xact_lock_shared(" + key + ") AS gate\"";
    }

    /** examples/probe/deposit-read-then-write.yaml with the gate between read and write. */
    private ProbeSpec readThenWrite(String store) {
        return deposit(store, "read committed", "SELECT balance FROM accounts WHERE id = 1",
                "UPDATE accounts SET balance = :balance + 10 WHERE id = 1");
    }

    /** examples/probe/deposit-for-update.yaml with the gate between read and write, at {@code level}. */
    private ProbeSpec transactional(String store, String level, String lock) {
        return deposit(store, level, "[BEGIN, \"SELECT balance, '" + marker + "' AS marker FROM accounts WHERE id = 1" + lock + "\"]",
                "[\"UPDATE accounts SET balance = :balance + 10 WHERE id = 1\", COMMIT]");
    }

    private ProbeSpec deposit(String store, String level, String read, String write) {
        StringBuilder yaml = new StringBuilder("""
                name: gated deposit
                violation: lose an update
                setup:
                  - CREATE TABLE accounts (id INT PRIMARY KEY, balance DECIMAL(10, 2) NOT NULL)
                  - INSERT INTO accounts (id, balance) VALUES (1, 1000.00)
                teardown:
                  - DROP TABLE accounts
                sessions:
                """);
        for (String s : new String[] {"s1", "s2"}) {
            yaml.append("  ").append(s).append(":\n    isolation: ").append(level).append("\n    steps:\n")
                    .append("      read: ").append(read).append('\n')
                    .append("      gate: ").append(gate(store)).append('\n')
                    .append("      write: ").append(write).append('\n');
        }
        yaml.append("""
                check:
                  query: SELECT balance FROM accounts WHERE id = 1
                  expect: balance = 1000 + 10 * committed
                """);
        return SpecParser.parse("gated-deposit.yaml", yaml.toString());
    }

    /** Holds the gate from the test's own connection until {@link #open}. */
    private final class Gate implements AutoCloseable {
        final String store;
        final Connection connection;

        Gate(String store) throws Exception {
            this.store = store;
            this.connection = DriverManager.getConnection(TestStores.byName(store).url());
            assertThat(scalar(store.equals("mysql") ? "SELECT GET_LOCK('racelab_gate_" + key + "', 0)"
                    : "SELECT pg_try_advisory_lock(" + key + ")::int")).isEqualTo(1L);
        }

        /** Sessions of this test's spec waiting at the gate. */
        long atGate() throws Exception {
            return scalar(store.equals("mysql")
                    ? "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE STATE = 'User lock' AND INFO LIKE '%racelab_gate_" + key + "%'"
                    : "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND classid = 0 AND objid = " + key);
        }

        /**
         * Sessions of this test's spec whose read waits for a row lock. On MariaDB, the reads that have
         * run for a second or more while the gate's session holds the row: a point read on the primary key
         * takes milliseconds otherwise. (INNODB_TRX, read from a cache, once listed none of three such
         * reads as waiting for 60 s while the process list showed all three.)
         */
        long queuedOnTheRow() throws Exception {
            return scalar(store.equals("mysql")
                    ? "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE COMMAND = 'Query' AND TIME >= 1"
                    + " AND INFO LIKE '%" + marker + "%' AND ID <> CONNECTION_ID()"
                    : "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND wait_event <> 'advisory'"
                    + " AND query LIKE '%" + marker + "%' AND pid <> pg_backend_pid()");
        }

        /** What the server's views show of this test's sessions: said when the awaited moment never came. */
        String views() {
            String sessions = store.equals("mysql")
                    ? "SELECT CONCAT_WS(' | ', ID, COMMAND, TIME, STATE, LEFT(INFO, 100)) FROM information_schema.PROCESSLIST"
                    + " WHERE ID <> CONNECTION_ID() AND (INFO LIKE '%" + marker + "%' OR INFO LIKE '%racelab_gate_" + key + "%')"
                    + " UNION ALL SELECT CONCAT_WS(' | ', 'trx', trx_mysql_thread_id, trx_state, trx_started, trx_wait_started,"
                    + " trx_rows_locked, LEFT(trx_query, 100)) FROM information_schema.INNODB_TRX"
                    : "SELECT concat_ws(' | ', pid, state, wait_event_type, wait_event, left(query, 100)) FROM pg_stat_activity"
                    + " WHERE pid <> pg_backend_pid() AND (query LIKE '%" + marker + "%' OR query LIKE '%" + key + "%')";
            StringBuilder rows = new StringBuilder();
            try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sessions)) {
                while (rs.next()) rows.append("\n  ").append(rs.getString(1));
            } catch (Exception e) {
                rows.append("\n  (the views could not be read: ").append(e).append(')');
            }
            return rows.toString();
        }

        void open() throws Exception {
            scalar(store.equals("mysql") ? "SELECT RELEASE_LOCK('racelab_gate_" + key + "')" : "SELECT pg_advisory_unlock(" + key + ")::int");
        }

        private long scalar(String sql) throws Exception {
            try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        }

        @Override
        public void close() throws Exception {
            connection.close();
        }
    }

    private static CompletableFuture<LoadResult> start(String store, ProbeSpec spec, LoadPlan plan, StringWriter progress) {
        return CompletableFuture.supplyAsync(() -> {
            try (SqlProbe probe = SqlProbe.open(store, TestStores.byName(store).url(), null, Duration.ofSeconds(60), Clock.SYSTEM)) {
                return probe.load(spec, plan, store, new PrintWriter(progress, true));
            }
        });
    }

    /** Waits for the moment the servers' views report; the deadline only keeps a broken load from hanging the build. */
    private static void await(String what, BooleanSupplier moment, CompletableFuture<LoadResult> load) throws Exception {
        await(what, moment, load, () -> "");
    }

    /** {@code views}: what the servers show, said with the failure. */
    private static void await(String what, BooleanSupplier moment, CompletableFuture<LoadResult> load,
                              java.util.function.Supplier<String> views) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!moment.getAsBoolean()) {
            if (load.isDone()) throw new AssertionError("the load ended before " + what + ": " + load.get());
            if (System.nanoTime() > deadline) throw new AssertionError("never saw " + what + "; the server shows:" + views.get());
            Thread.sleep(10);
        }
    }

    private static BooleanSupplier quietly(java.util.concurrent.Callable<Boolean> c) {
        return () -> {
            try {
                return c.call();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
    }

    @Test
    void readThenWriteUnderLoadLosesEveryDepositButOneWhenAllReadsComeFirst() throws Exception {
        StringWriter progress = new StringWriter();
        try (Gate gate = new Gate("postgres")) {
            CompletableFuture<LoadResult> load = start("postgres", readThenWrite("postgres"), plan(1, Set.of()), progress);
            await("all " + CLIENTS + " transactions at the gate", quietly(() -> gate.atGate() == CLIENTS), load);
            gate.open();
            LoadResult r = load.get(120, TimeUnit.SECONDS);
            // all four read 1000.00 before any wrote, and all four wrote 1010.00: three deposits lost, exactly
            assertThat(r.passed()).as(r.explanation()).isFalse();
            assertThat(r.ok()).isEqualTo(CLIENTS);
            assertThat(r.aborted()).isZero();
            assertThat(r.checkValues().get("balance").toString()).isEqualTo("1010.00");
            assertThat(r.explanation()).startsWith("FAIL: the load made the transactions lose an update: after 4 transactions (4 committed),"
                    + " balance is 1010.00, but 1000 + 10 * committed is 1040 (30 short).");
            assertThat(r.sessions().get("s1").committed()).isEqualTo(2);
            assertThat(r.sessions().get("s2").committed()).isEqualTo(2);
            assertThat(r.instances()).isEqualTo(INSTANCES);
            assertThat(r.planned()).isEqualTo(CLIENTS);
            assertThat(LoadReport.render(r)).contains("FAIL").contains("committed").contains("p99 ms");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "mysql"})
    void forUpdateUnderLoadLosesNoneWhileEveryReaderQueuesOnTheRow(String store) throws Exception {
        StringWriter progress = new StringWriter();
        long iterations = 25;
        try (Gate gate = new Gate(store)) {
            CompletableFuture<LoadResult> load = start(store, transactional(store, "read committed", " FOR UPDATE"),
                    plan(iterations, Set.of()), progress);
            // one holds the row lock at the gate, the three others are queued behind it on the row
            await("one transaction at the gate and " + (CLIENTS - 1) + " queued on the row lock",
                    quietly(() -> gate.atGate() == 1 && gate.queuedOnTheRow() == CLIENTS - 1), load, gate::views);
            gate.open();
            LoadResult r = load.get(120, TimeUnit.SECONDS);
            assertThat(r.passed()).as(r.explanation()).isTrue();
            assertThat(r.ok()).isEqualTo(CLIENTS * iterations);
            assertThat(r.checkValues().get("balance").toString()).isEqualTo("2000.00");
            assertThat(r.latencyMs().max()).isPositive();
        }
    }

    @Test
    void postgresRepeatableReadAbortsTheLosersWith40001AndRetriedTheyAllCommit() throws Exception {
        try (Gate gate = new Gate("postgres")) {
            CompletableFuture<LoadResult> load = start("postgres", transactional("postgres", "repeatable read", ""), plan(1, Set.of()),
                    new StringWriter());
            await("all " + CLIENTS + " snapshots taken and their transactions at the gate", quietly(() -> gate.atGate() == CLIENTS), load);
            gate.open();
            LoadResult r = load.get(120, TimeUnit.SECONDS);
            // the first write wins; every other transaction read a snapshot from before it and is refused
            assertThat(r.passed()).as(r.explanation()).isTrue();
            assertThat(r.ok()).isEqualTo(1);
            assertThat(r.aborted()).isEqualTo(CLIENTS - 1);
            assertThat(r.abortedBySqlState()).containsExactly(java.util.Map.entry("40001 serialization failure", (long) CLIENTS - 1));
            assertThat(r.failed().get("serialization")).isEqualTo(CLIENTS - 1);
            assertThat(r.checkValues().get("balance").toString()).isEqualTo("1010.00");
        }
        try (Gate gate = new Gate("postgres")) {
            long iterations = 10;
            CompletableFuture<LoadResult> load = start("postgres", transactional("postgres", "repeatable read", ""),
                    plan(iterations, Set.of(RetryOn.SERIALIZATION)), new StringWriter());
            await("all " + CLIENTS + " transactions at the gate", quietly(() -> gate.atGate() == CLIENTS), load);
            gate.open();
            LoadResult r = load.get(120, TimeUnit.SECONDS);
            assertThat(r.passed()).as(r.explanation()).isTrue();
            assertThat(r.ok()).isEqualTo(CLIENTS * iterations);
            assertThat(r.aborted()).isZero();
            // at least the three that lost the first round were refused once and ran again, whole
            assertThat(r.retries()).isGreaterThanOrEqualTo(CLIENTS - 1);
            assertThat(r.retriedBySqlState().keySet()).containsExactly("40001 serialization failure");
            assertThat(r.checkValues().get("balance").toString()).isEqualTo("1400.00");
            assertThat(r.explanation()).contains("retries (").contains("40001 serialization failure");
        }
    }

    @Test
    void aCheckOnOneStepsReadIsRefusedUnderLoad() {
        ProbeSpec spec = SpecParser.parse("reads.yaml", """
                setup: [CREATE TABLE t (v INT), INSERT INTO t VALUES (1)]
                sessions:
                  s1: {steps: {read: SELECT v FROM t}}
                  s2: {steps: {read: SELECT v FROM t}}
                check:
                  expect: s1.read.v = 1
                """);
        try (SqlProbe probe = SqlProbe.open("postgres", TestStores.postgres().url(), null, Duration.ofSeconds(30), Clock.SYSTEM)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> probe.load(spec, plan(1, Set.of()), "postgres", null))
                    .isInstanceOf(dev.racelab.core.UsageException.class)
                    .hasMessageContaining("check.expect uses s1.read.v, what one step read");
        }
    }

    @Test
    void roundRobinGivesEverySessionItsShare() {
        int[] runs = new int[3];
        for (int instance = 0; instance < 2; instance++) {
            for (int thread = 0; thread < 3; thread++) {
                for (long i = 0; i < 5; i++) runs[LoadPlan.sessionFor(instance, thread, i, 3, 3)]++;
            }
        }
        assertThat(runs).containsExactly(10, 10, 10);
        // at any iteration the threads are spread over the sessions, not all on the same one
        assertThat(LoadPlan.sessionFor(0, 0, 0, 2, 2)).isNotEqualTo(LoadPlan.sessionFor(0, 1, 0, 2, 2));
        assertThat(LoadPlan.sessionFor(0, 0, 0, 1, 2)).isNotEqualTo(LoadPlan.sessionFor(1, 0, 0, 1, 2));
    }
}
