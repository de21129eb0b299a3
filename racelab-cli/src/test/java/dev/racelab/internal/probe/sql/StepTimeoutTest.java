package dev.racelab.internal.probe.sql;

import dev.racelab.testing.Repo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.racelab.core.Clock;
import dev.racelab.testing.TestStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * Interleave mode's edges: a step blocked by a lock outside the schedule (one this test holds
 * from its own connection), or one that neither finishes nor waits, is cancelled after
 * --step-timeout and reported as such; a session a permutation leaves out committed nothing.
 */
class StepTimeoutTest {
    private static final Duration TIMEOUT = Duration.ofMillis(1500);

    private static ProbeResult probe(String store, ProbeSpec spec) {
        try (SqlProbe probe = SqlProbe.open(store, TestStores.byName(store).url(), null, TIMEOUT, Clock.SYSTEM)) {
            return probe.run(spec, null);
        }
    }

    private static ProbeSpec blockedBy(String lockStep) {
        return SpecParser.parse("blocked.yaml", """
                sessions:
                  s1:
                    steps:
                      lock: "%s"
                      after: SELECT 2 AS two
                  s2:
                    steps:
                      read: SELECT 1 AS one
                permutations:
                  - s1.lock s2.read s1.after
                check:
                  query: SELECT 1 AS one
                  expect: s1.aborted = 1 and s2.committed = 1 and s1.committed = 0
                """.formatted(lockStep));
    }

    private static long scalar(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** PostgreSQL shows the wait in pg_blocking_pids, naming the test's backend: the step waits, then is cancelled. */
    @Test
    void aStepWaitingOnALockOutsideTheScheduleIsCancelledAndNamed() throws Exception {
        long key = ThreadLocalRandom.current().nextLong(1_000_000, Integer.MAX_VALUE);
        try (Connection holder = DriverManager.getConnection(TestStores.postgres().url())) {
            assertThat(scalar(holder, "SELECT pg_try_advisory_lock(" + key + ")::int")).isEqualTo(1);
            long pid = scalar(holder, "SELECT pg_backend_pid()");
            ProbeResult r = probe("postgres", blockedBy("SELECT pg_advisory_lock(" + key + ")"));
            PermutationResult p = r.permutations().get(0);
            PermutationResult.SessionOutcome s1 = p.sessions().get(0);
            assertThat(s1.aborted()).isTrue();
            assertThat(s1.sqlState()).isEqualTo("57014");
            assertThat(s1.failure()).isEqualTo("57014 racelab's step timeout");
            assertThat(s1.failedStep()).isEqualTo("s1.lock");
            assertThat(p.sessions().get(1).status()).isEqualTo("committed");
            assertThat(p.events()).containsSubsequence(
                    "s1.lock",
                    "s1.lock waits for server session " + pid + " (not this probe's)",
                    "s2.read",
                    "s1.lock cancelled by racelab: waited 1500 ms for server session " + pid
                            + " (not this probe's), and no other step could run meanwhile",
                    "s1.after skipped (s1 was aborted)");
            assertThat(p.passed()).isTrue();
            assertThat(ProbeReport.render(r)).contains("aborted 57014").contains("s1.lock cancelled by racelab: waited 1500 ms");
            // the cancelled statement let go: the lock is still the test's, no probe session holds or waits for it
            assertThat(scalar(holder, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = " + key
                    + " AND pid <> pg_backend_pid()")).isZero();
        }
    }

    /** A step that sleeps neither finishes nor shows as waiting for a lock: it is cancelled after the step timeout. */
    @Test
    void aStepThatNeitherFinishesNorShowsAWaitIsCancelled() {
        ProbeResult r = probe("postgres", blockedBy("SELECT pg_sleep(60)"));
        PermutationResult p = r.permutations().get(0);
        assertThat(p.sessions().get(0).failure()).isEqualTo("57014 racelab's step timeout");
        assertThat(p.events()).containsSubsequence("s1.lock", "s1.lock cancelled by racelab: neither finished nor waited on a lock"
                + " within 1500 ms", "s2.read", "s1.after skipped (s1 was aborted)");
        assertThat(p.passed()).isTrue();
    }

    /** MariaDB's GET_LOCK wait is no InnoDB lock wait, but the process list shows it ("User lock"): a wait, then cancelled. */
    @Test
    void aGetLockWaitOnMariaDbIsSeenAsAWaitAndCancelled() throws Exception {
        String name = "racelab_timeout_" + ThreadLocalRandom.current().nextLong(1_000_000, Long.MAX_VALUE);
        try (Connection holder = DriverManager.getConnection(TestStores.mysql().url())) {
            assertThat(scalar(holder, "SELECT GET_LOCK('" + name + "', 0)")).isEqualTo(1);
            ProbeResult r = probe("mysql", blockedBy("SELECT GET_LOCK('" + name + "', 60) AS got"));
            PermutationResult p = r.permutations().get(0);
            assertThat(p.sessions().get(0).failure()).isEqualTo("57014 racelab's step timeout");
            assertThat(p.events()).containsSubsequence("s1.lock", "s1.lock waits for a lock", "s2.read",
                    "s1.lock cancelled by racelab: waited 1500 ms for a lock, and no other step could run meanwhile",
                    "s1.after skipped (s1 was aborted)");
            assertThat(p.passed()).isTrue();
        }
    }

    @Test
    void aSessionThePermutationLeavesOutCommittedNothing() throws Exception {
        String spec = Files.readString(Repo.path("examples/probe/deposit-read-then-write.yaml")) + "permutations:\n  - s1.read s1.write\n";
        ProbeResult r = probe("postgres", SpecParser.parse("s1-only.yaml", spec));
        PermutationResult p = r.permutations().get(0);
        assertThat(p.sessions().get(1).status()).isEqualTo(PermutationResult.SessionOutcome.NOT_RUN);
        // one deposit was made and one counted: 1010.00 = 1000 + 10 * 1 (it was FAIL when s2 counted as committed)
        assertThat(p.checkValues().get("balance").toString()).isEqualTo("1010.00");
        assertThat(p.passed()).isTrue();
        assertThat(ProbeReport.render(r)).contains("not run");
    }
}
