package dev.racelab.internal.cli;

import dev.racelab.testing.Repo;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's commands, and bad input refused in one line before any step runs. */
class ProbeSqlCommandTest {
    record Result(int code, String out, String err) {
        void isOneLineUsageError(String mentioning) {
            assertThat(code).as("exit code; stderr: %s", err).isEqualTo(ExitCode.USAGE);
            assertThat(err.strip()).doesNotContain("\n").startsWith("racelab: ").contains(mentioning);
        }
    }

    private static Result racelab(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void theReadmeCommandsGiveTheirVerdicts() {
        Result lost = racelab("probe", "sql", Repo.path("examples/probe/deposit-read-then-write.yaml").toString(), "--store", "postgres");
        assertThat(lost.code()).as(lost.err()).isEqualTo(ExitCode.FAIL);
        assertThat(lost.out()).contains("FAIL: 4 of 6 interleavings lose an update, for example: s1.read s2.read s1.write s2.write");
        assertThat(lost.out().lines().filter(l -> l.endsWith("FAIL"))).hasSize(4);
        Result locked = racelab("probe", "sql", Repo.path("examples/probe/deposit-for-update.yaml").toString(), "--store", "mysql");
        assertThat(locked.code()).as(locked.err()).isEqualTo(ExitCode.PASS);
        assertThat(locked.out()).contains("PASS: none of the 6 interleavings lose an update");
    }

    @Test
    void badSpecsAreOneLineErrorsBeforeAnyStep(@TempDir Path dir) throws Exception {
        Path broken = dir.resolve("broken.yaml");
        Files.writeString(broken, "sessions:\n  s1: {steps: {read: SELECT 1}\n");
        racelab("probe", "sql", broken.toString(), "--store", "postgres").isOneLineUsageError(broken + ":3:1: not valid YAML");
        Path unknown = dir.resolve("unknown.yaml");
        Files.writeString(unknown, Files.readString(Repo.path("examples/probe/deposit-read-then-write.yaml"))
                + "permutations:\n  - s1.read s3.write\n");
        racelab("probe", "sql", unknown.toString(), "--store", "postgres").isOneLineUsageError("unknown session 's3'");
        racelab("probe", "sql", dir.resolve("none.yaml").toString()).isOneLineUsageError("no spec file");
        racelab("probe", "sql", Repo.path("examples/probe/deposit-read-then-write.yaml").toString(), "--store", "redis").isOneLineUsageError("needs a SQL store");
        racelab("probe", "sql", Repo.path("examples/probe/deposit-read-then-write.yaml").toString(), "--store", "postgres",
                "--postgres-url", "jdbc:postgresql://127.0.0.1:1/test?user=postgres").isOneLineUsageError("cannot connect to postgres");
    }

    @Test
    void loadModeGivesItsVerdictInRunsTableAndJson(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("load.json");
        Result r = racelab("probe", "sql", Repo.path("examples/probe/deposit-for-update.yaml").toString(), "--store", "postgres", "--mode", "load",
                "--threads", "2", "--instances", "2", "--iterations", "10", "--retry", "deadlock", "--json", json.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.PASS);
        assertThat(r.out()).contains("store     planned  committed  aborted  unknown  retries  ops/s  p50 ms  p95 ms  p99 ms  max ms  verdict")
                .contains("check: balance = 1000 + 10 * committed (balance = 1400.00, committed = 40)")
                .contains("PASS: balance = 1000 + 10 * committed holds after 40 transactions (40 committed)");
        assertThat(r.err()).contains("2 instance(s) x 2 thread(s) x 10 transactions = 40, the sessions (s1, s2) in round robin");
        var tree = dev.racelab.internal.json.Json.MAPPER.readTree(json.toFile());
        for (String key : new String[] {"instances", "threads", "iterations", "planned", "invoked", "ok", "failed", "unknown", "retries",
                "durationMs", "opsPerSec", "latencyMs", "verdict", "explanation"}) {
            assertThat(tree.has(key)).as(key).isTrue();
        }
        assertThat(tree.get("ok").asLong()).isEqualTo(40);
        assertThat(tree.get("retryOn").get(0).asText()).isEqualTo("deadlock");
        assertThat(tree.get("verdict").asText()).isEqualTo("PASS");
    }

    @Test
    void loadModeRefusesBadInputInOneLine() throws Exception {
        String spec = Repo.path("examples/probe/deposit-read-then-write.yaml").toString();
        racelab("probe", "sql", spec, "--mode", "load", "--retry", "serialisation").isOneLineUsageError("--retry: unknown failure 'serialisation'");
        racelab("probe", "sql", spec, "--mode", "load", "--threads", "0").isOneLineUsageError("--threads must be 1 to 500, was 0");
        racelab("probe", "sql", spec, "--mode", "burst").isOneLineUsageError("--mode must be interleave or load, not 'burst'");
        racelab("probe", "sql", spec, "--threads", "4").isOneLineUsageError("belong to --mode load");
    }

    /** A statement blocked on a lock the test holds runs into --step-timeout in every transaction: nothing committed is bad input. */
    @Test
    void loadModeWhereEveryTransactionTimesOutExitsTwoNamingTheTimeout(@TempDir Path dir) throws Exception {
        long key = java.util.concurrent.ThreadLocalRandom.current().nextLong(1_000_000, Integer.MAX_VALUE);
        Path spec = dir.resolve("blocked.yaml");
        Files.writeString(spec, """
                sessions:
                  s1: {steps: {lock: "SELECT pg_advisory_lock(%d)"}}
                  s2: {steps: {lock: "SELECT pg_advisory_lock(%d)"}}
                check: {query: SELECT 1 AS one, expect: one = 1}
                """.formatted(key, key));
        try (var holder = java.sql.DriverManager.getConnection(dev.racelab.testing.TestStores.postgres().url());
             var st = holder.createStatement()) {
            st.execute("SELECT pg_advisory_lock(" + key + ")");
            Result r = racelab("probe", "sql", spec.toString(), "--store", "postgres", "--mode", "load", "--threads", "1",
                    "--instances", "1", "--iterations", "1", "--step-timeout", "1s");
            assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.USAGE);
            // after the progress line that announced the load, one line that says why there is no verdict
            assertThat(r.err().strip().lines().toList().getLast()).startsWith("racelab: " + spec + ": no transaction committed;"
                    + " every one failed, the first at s1.lock: 57014 racelab's step timeout: ran longer than --step-timeout (1 s),"
                    + " so racelab cancelled it");
        }
    }

    @Test
    void isolationNamesAnUnknownAnomaly() {
        racelab("isolation", "--anomaly", "G9").isOneLineUsageError("unknown anomaly 'G9'");
    }
}
