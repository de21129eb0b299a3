package dev.racelab.internal.probe.sql;

import dev.racelab.testing.Repo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.racelab.core.Clock;
import dev.racelab.store.StoreAddress;
import dev.racelab.testing.TestStores;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Seed 003's deposit as probe sql specs, on this machine's PostgreSQL and MariaDB and the embedded PostgreSQL. */
class SqlProbeTest {
    /** The interleavings of (read, write) x 2 in which both reads come before the second write: each loses a deposit. */
    private static final Set<String> LOSING = Set.of(
            "s1.read s2.read s1.write s2.write",
            "s1.read s2.read s2.write s1.write",
            "s2.read s1.read s1.write s2.write",
            "s2.read s1.read s2.write s1.write");

    private static final String RR_DEPOSIT = """
            name: deposit at repeatable read
            violation: lose an update
            setup:
              - CREATE TABLE accounts (id INT PRIMARY KEY, balance DECIMAL(10, 2) NOT NULL)
              - INSERT INTO accounts (id, balance) VALUES (1, 1000.00)
            sessions:
              s1:
                isolation: repeatable read
                steps:
                  read: [BEGIN, SELECT balance FROM accounts WHERE id = 1]
                  write: [UPDATE accounts SET balance = :balance + 10 WHERE id = 1, COMMIT]
              s2:
                isolation: repeatable read
                steps:
                  read: [BEGIN, SELECT balance FROM accounts WHERE id = 1]
                  write: [UPDATE accounts SET balance = :balance + 10 WHERE id = 1, COMMIT]
            check:
              query: SELECT balance FROM accounts WHERE id = 1
              expect: balance = 1000 + 10 * committed
            """;

    private static StoreAddress store(String name) {
        return TestStores.byName(name);
    }

    private static ProbeResult probe(String store, ProbeSpec spec) {
        try (SqlProbe probe = SqlProbe.open(store, store(store).url(), null, Duration.ofSeconds(30), Clock.SYSTEM)) {
            return probe.run(spec, null);
        }
    }

    private static Set<String> failing(ProbeResult r) {
        return r.failures().stream().map(PermutationResult::scheduleText).collect(Collectors.toSet());
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "mysql", "embedded"})
    void readThenWriteUnderReadCommittedLosesExactlyWhenBothReadsComeFirst(String store) {
        ProbeResult r = probe(store, SpecParser.parse(Repo.path("examples/probe/deposit-read-then-write.yaml")));
        assertThat(r.permutations()).hasSize(6);
        assertThat(failing(r)).isEqualTo(LOSING);
        for (PermutationResult p : r.failures()) assertThat(p.checkValues().get("balance").toString()).isEqualTo("1010.00");
        for (PermutationResult p : r.permutations()) {
            if (p.passed()) assertThat(p.checkValues().get("balance").toString()).isEqualTo("1020.00");
            assertThat(p.sessions()).allMatch(o -> o.status().equals("committed"));
        }
        assertThat(r.summary()).isEqualTo("4 of 6 interleavings lose an update, for example: s1.read s2.read s1.write s2.write");
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "mysql"})
    void forUpdateLosesNoneAndTheSecondReaderWaitsOnTheLock(String store) {
        ProbeResult r = probe(store, SpecParser.parse(Repo.path("examples/probe/deposit-for-update.yaml")));
        assertThat(r.permutations()).hasSize(6).allMatch(PermutationResult::passed);
        for (PermutationResult p : r.permutations()) {
            assertThat(p.checkValues().get("balance").toString()).isEqualTo("1020.00");
            // the lock-wait view saw the second FOR UPDATE blocked exactly where both reads come before a write
            assertThat(p.anyWaited()).as(p.scheduleText()).isEqualTo(LOSING.contains(p.scheduleText()));
        }
        PermutationResult waited = r.permutations().stream().filter(p -> p.scheduleText().equals("s1.read s2.read s2.write s1.write"))
                .findFirst().orElseThrow();
        // s2.write was listed before s1.write, but s2 was waiting: the schedule went on with s1, as isolationtester does
        assertThat(waited.reordered()).isTrue();
        assertThat(waited.events()).containsSubsequence("s2.read", "s1.write", "s2.read completes", "s2.write");
    }

    @Test
    void underPostgresRepeatableReadTheLoserAbortsWith40001() {
        ProbeResult r = probe("postgres", SpecParser.parse("rr.yaml", RR_DEPOSIT));
        assertThat(r.passed()).isTrue();
        for (PermutationResult p : r.permutations()) {
            List<PermutationResult.SessionOutcome> aborted = p.sessions().stream().filter(PermutationResult.SessionOutcome::aborted).toList();
            if (LOSING.contains(p.scheduleText())) {
                assertThat(aborted).as(p.scheduleText()).hasSize(1);
                assertThat(aborted.get(0).sqlState()).isEqualTo("40001");
                assertThat(aborted.get(0).failedStep()).endsWith(".write");
                assertThat(p.checkValues().get("balance").toString()).isEqualTo("1010.00");
            } else {
                assertThat(aborted).as(p.scheduleText()).isEmpty();
                assertThat(p.checkValues().get("balance").toString()).isEqualTo("1020.00");
            }
        }
    }

    @Test
    void theWorkspaceRacelabCreatesIsDroppedAndANamedOneIsKept() throws Exception {
        String url = store("postgres").url();
        String created;
        try (SqlProbe probe = SqlProbe.open("postgres", url, null, Duration.ofSeconds(30), Clock.SYSTEM)) {
            created = probe.workspace();
            probe.run(SpecParser.parse(Repo.path("examples/probe/deposit-read-then-write.yaml")), null);
            assertThat(schemaExists(url, created)).isTrue();
        }
        assertThat(schemaExists(url, created)).isFalse();

        String mine = "probe_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        execute(url, "CREATE SCHEMA " + mine);
        try {
            try (SqlProbe probe = SqlProbe.open("postgres", url, mine, Duration.ofSeconds(30), Clock.SYSTEM)) {
                assertThat(probe.run(SpecParser.parse(Repo.path("examples/probe/deposit-read-then-write.yaml")), null).failures()).hasSize(4);
            }
            assertThat(schemaExists(url, mine)).isTrue();
        } finally {
            execute(url, "DROP SCHEMA " + mine + " CASCADE");
        }
    }

    private static boolean schemaExists(String url, String schema) throws Exception {
        try (Connection c = DriverManager.getConnection(url);
             var ps = c.prepareStatement("SELECT 1 FROM information_schema.schemata WHERE schema_name = ?")) {
            ps.setString(1, schema);
            try (var rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static void execute(String url, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
