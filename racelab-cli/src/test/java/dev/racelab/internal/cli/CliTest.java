package dev.racelab.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.racelab.internal.json.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CliTest {
    record Result(int code, String out, String err) {
        /** Bad input must be explained in one line, with no stack trace. */
        void isOneLineUsageError(String mentioning) {
            assertThat(code).as("exit code; stderr: %s", err).isEqualTo(ExitCode.USAGE);
            assertThat(err.strip()).doesNotContain("\n").startsWith("racelab: ").contains(mentioning);
            assertThat(err).doesNotContain("\tat ");
        }
    }

    private static Result racelab(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void unknownNamesAreUsageErrors() {
        racelab("run", "--strategy", "bogus").isOneLineUsageError("unknown strategy 'bogus'");
        racelab("run", "--strategy", "atomic", "--store", "oracle").isOneLineUsageError("unknown store 'oracle'");
        racelab("run", "--strategy", "atomic", "--scenario", "lottery").isOneLineUsageError("unknown scenario 'lottery'");
        racelab("run", "--strategy", "atomic", "--frobnicate").isOneLineUsageError("--frobnicate");
        racelab("demo", "--store", "oracle").isOneLineUsageError("unknown store 'oracle'");
    }

    @Test
    void countsMustBePositive() {
        racelab("run", "--strategy", "atomic", "--instances", "0").isOneLineUsageError("--instances must be at least 1");
        racelab("run", "--strategy", "atomic", "--threads", "-3").isOneLineUsageError("--threads must be at least 1");
        racelab("run", "--strategy", "atomic", "--iterations", "0").isOneLineUsageError("--iterations must be at least 1");
        racelab("run", "--strategy", "atomic", "--instances", "many").isOneLineUsageError("many");
        racelab("demo", "--iterations", "-1").isOneLineUsageError("--iterations must be at least 1");
        racelab("run", "--strategy", "optimistic", "--retry-max-attempts", "0").isOneLineUsageError("attempts");
    }

    @Test
    void anUnreachableDatabaseIsAUsageError() {
        racelab("run", "--store", "postgres", "--strategy", "atomic",
                "--postgres-url", "jdbc:postgresql://127.0.0.1:1/test?user=postgres")
                .isOneLineUsageError("cannot connect to postgres at jdbc:postgresql://127.0.0.1:1/test");
        racelab("run", "--store", "mysql", "--strategy", "atomic", "--mysql-url", "jdbc:mysql://127.0.0.1:1/test?user=root")
                .isOneLineUsageError("cannot connect to mysql");
    }

    @Test
    void rejectedCredentialsAreAUsageErrorWithoutThePassword() {
        Result r = racelab("run", "--store", "mysql", "--strategy", "atomic",
                "--mysql-url", "jdbc:mariadb://127.0.0.1:3306/test?user=racelab_nobody&password=s3cret");
        r.isOneLineUsageError("Access denied");
        assertThat(r.err()).doesNotContain("s3cret").contains("password=***");
        racelab("run", "--store", "postgres", "--strategy", "atomic",
                "--postgres-url", "jdbc:postgresql://127.0.0.1:5432/test?user=racelab_nobody")
                .isOneLineUsageError("racelab_nobody");
    }

    @Test
    void aStrategyTheStoreCannotRunNamesTheMissingCapability() {
        racelab("run", "--store", "mysql", "--strategy", "pessimistic-nokey").isOneLineUsageError("ROW_LOCK_NO_KEY");
    }

    @Test
    void aRunNeedingMoreConnectionsThanTheServerHasIsRefused() {
        racelab("run", "--store", "postgres", "--strategy", "atomic", "--instances", "250", "--threads", "10")
                .isOneLineUsageError("too few for 250 instances");
    }

    @Test
    void anUnwritableJsonPathIsRefusedBeforeTheRun(@TempDir Path dir) {
        racelab("run", "--store", "mysql", "--strategy", "atomic", "--json", dir.resolve("no/such/dir/r.json").toString())
                .isOneLineUsageError("cannot write --json");
    }

    @Test
    void aPassingRunExitsZeroAndWritesTheJsonFields(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("result.json");
        Result r = racelab("run", "--scenario", "counter", "--store", "mysql", "--strategy", "atomic",
                "--instances", "2", "--threads", "2", "--iterations", "50", "--json", json.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.PASS);
        assertThat(r.out()).contains("atomic").contains("PASS");
        JsonNode node = Json.MAPPER.readTree(Files.readString(json));
        for (String key : new String[] {"scenario", "store", "strategy", "instances", "threads", "iterations", "expected",
                "actual", "lostUpdates", "ok", "failed", "unknown", "retries", "durationMs", "opsPerSec", "latencyMs", "peakHeapMb", "liveHeapMb", "verdict"}) {
            assertThat(node.has(key)).as("key %s in %s", key, node).isTrue();
        }
        assertThat(node.get("liveHeapMb").asLong()).isPositive().isLessThanOrEqualTo(node.get("peakHeapMb").asLong());
        for (String reason : new String[] {"conflictExhausted", "deadlock", "serialization", "lockTimeout", "error"}) {
            assertThat(node.get("failed").has(reason)).as("failed.%s", reason).isTrue();
        }
        for (String p : new String[] {"p50", "p95", "p99", "max"}) assertThat(node.get("latencyMs").has(p)).isTrue();
        assertThat(node.get("actual").asLong()).isEqualTo(200);
        assertThat(node.get("expected").asLong()).isEqualTo(200);
        assertThat(node.get("verdict").asText()).isEqualTo("PASS");
    }

    /**
     * The warm-up writes only to scratch cells outside the run's prefix and removes them: the
     * run still counts exactly its own orders (a leftover warm-up reservation would be swept
     * into the run's orders and fail it), and no warm-up key is left on either store.
     */
    @Test
    void aWarmUpIsNeitherMeasuredNorCountedNorLeftBehind(@TempDir Path dir) throws Exception {
        Set<String> before = warmUpKeys(); // another version's runs may have left some: only new ones count
        Path json = dir.resolve("result.json");
        Result r = racelab("run", "--scenario", "order", "--stock", "100000", "--store", "redis", "--strategy", "reserve-confirm",
                "--threads", "4", "--iterations", "50", "--warmup", "1", "--json", json.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.PASS);
        assertThat(r.err()).contains("warming up for 1 s");
        JsonNode node = Json.MAPPER.readTree(Files.readString(json));
        assertThat(node.get("ok").asLong()).isEqualTo(200);
        assertThat(node.get("orders").asLong()).isEqualTo(200);
        assertThat(node.get("actual").asLong()).isEqualTo(100_000 - 200);
        // a lease's fence counter never expires by itself: the warm-up's must go with its cells
        Result fenced = racelab("run", "--store", "redis", "--strategy", "lock-fenced", "--threads", "2", "--iterations", "20",
                "--warmup", "1");
        assertThat(fenced.code()).as(fenced.err()).isEqualTo(ExitCode.PASS);
        assertThat(warmUpKeys()).isEqualTo(before);
    }

    /** Redis keys and PostgreSQL guard rows with a warm-up's prefix. */
    private static Set<String> warmUpKeys() throws Exception {
        Set<String> keys = new java.util.TreeSet<>();
        try (var redis = io.lettuce.core.RedisClient.create(dev.racelab.testing.TestStores.redis().url());
             var connection = redis.connect()) {
            keys.addAll(connection.sync().keys("*warmup-*"));
        }
        try (var sql = java.sql.DriverManager.getConnection(dev.racelab.testing.TestStores.postgres().url());
             var rows = sql.createStatement().executeQuery("SELECT k FROM racelab_guard WHERE k LIKE 'warmup-%'")) {
            while (rows.next()) keys.add("racelab_guard " + rows.getString(1));
        }
        return keys;
    }

    @Test
    void aReadBarrierOfFewerThanTwoThreadsIsAUsageError() {
        racelab("run", "--store", "redis", "--strategy", "atomic", "--read-barrier", "1").isOneLineUsageError("--read-barrier");
    }

    @Test
    void aWarmUpOutOfRangeIsAUsageError() {
        racelab("run", "--store", "redis", "--strategy", "atomic", "--warmup", "-1").isOneLineUsageError("--warmup");
        racelab("run", "--store", "redis", "--strategy", "atomic", "--warmup", "601").isOneLineUsageError("--warmup");
    }

    /**
     * Exit code 1 on a broken invariant. Each of eight threads holds its read until all eight
     * have read (--read-barrier 8), so every round writes eight increments over one value.
     */
    @Test
    void aRunThatLosesUpdatesExitsOne() {
        Result r = racelab("run", "--store", "postgres", "--strategy", "naive", "--threads", "8",
                "--iterations", "2", "--read-barrier", "8");
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.FAIL);
        assertThat(r.out()).contains("FAIL").contains("acknowledged increments are missing");
    }

    @Test
    void theDemoRunsEveryStrategyAndEverySafeOnePasses(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("demo.json");
        Result r = racelab("demo", "--instances", "2", "--threads", "2", "--iterations", "25", "--json", json.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.PASS);
        JsonNode runs = Json.MAPPER.readTree(Files.readString(json));
        assertThat(runs.isArray()).isTrue();
        assertThat(runs.size()).isEqualTo(dev.racelab.internal.strategy.Strategies.all().stream()
                .filter(s -> !s.needsLogStore())
                .filter(s -> dev.racelab.internal.run.Fit.of(s, new dev.racelab.internal.scenario.CounterScenario(), "embedded", null, null).fits())
                .count());
        for (JsonNode run : runs) {
            boolean safe = dev.racelab.internal.strategy.Strategies.get(run.get("strategy").asText()).safe();
            if (safe) assertThat(run.get("verdict").asText()).as(run.get("strategy").asText()).isEqualTo("PASS");
            assertThat(r.out()).contains("- " + run.get("strategy").asText() + ": ");
        }
    }

    /** A worker that cannot start ends the run with exit code 3 and its own words, never a verdict. */
    @Test
    void aWorkerThatDiesAbortsTheRunWithExitThree() throws Exception {
        ProcessBuilder p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "run", "--store", "postgres", "--strategy", "atomic", "--instances", "2")
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true);
        p.environment().put(dev.racelab.internal.run.Coordinator.WORKER_OPTS_ENV, "-XX:+NoSuchRacelabFlag");
        Process process = p.start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isEqualTo(ExitCode.ABORTED);
        assertThat(output).contains("exited with code").contains("NoSuchRacelabFlag") // the worker's own words, so no log is kept
                .doesNotContain("PASS").doesNotContain("FAIL");
    }

    @Test
    void aLeaseStrategyOnAStoreWithoutLeasesNamesTheCapabilityAndTheLeaseStoreFlag() {
        Result r = racelab("run", "--store", "postgres", "--strategy", "lock");
        r.isOneLineUsageError("LEASE");
        assertThat(r.err()).contains("--lease-store").contains("redis");
        racelab("run", "--store", "postgres", "--lease-store", "mysql", "--strategy", "lock")
                .isOneLineUsageError("--lease-store 'mysql' has no [LEASE]");
        racelab("run", "--store", "postgres", "--lease-store", "redis", "--strategy", "atomic")
                .isOneLineUsageError("--lease-store is for the strategies that take leases");
        racelab("run", "--store", "postgres", "--lease-store", "oracle", "--strategy", "lock")
                .isOneLineUsageError("unknown store 'oracle'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "mysql"})
    void sqlCellsUnderARedisLeasePass(String store, @TempDir Path dir) throws Exception {
        Path json = dir.resolve("r.json");
        Result r = racelab("run", "--store", store, "--lease-store", "redis", "--strategy", "lock", "--instances", "2",
                "--threads", "4", "--iterations", "50", "--json", json.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.PASS);
        JsonNode result = Json.MAPPER.readTree(Files.readString(json));
        assertThat(result.get("store").asText()).isEqualTo(store);
        assertThat(result.get("actual").asLong()).isEqualTo(400);
        assertThat(result.get("verdict").asText()).isEqualTo("PASS");
    }

    @Test
    void theOldOrderLogFlagStillWorksAndSaysOnceThatItIsDeprecated(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("r.json");
        Result r = racelab("run", "--preset", "last-item", "--store", "redis", "--strategy", "reserve-confirm",
                "--order-log", "postgres", "--instances", "2", "--threads", "5", "--json", json.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.PASS);
        assertThat(r.err().split("--order-log is deprecated; use --log-store", -1)).as("said once").hasSize(2);
        JsonNode result = Json.MAPPER.readTree(Files.readString(json));
        assertThat(result.get("orders").asLong()).as("the order row was logged in PostgreSQL").isEqualTo(1);
        assertThat(result.get("verdict").asText()).isEqualTo("PASS");
        Result same = racelab("run", "--preset", "last-item", "--store", "redis", "--strategy", "reserve-confirm",
                "--log-store", "postgres", "--instances", "2", "--threads", "5");
        assertThat(same.code()).as(same.err()).isEqualTo(ExitCode.PASS);
        assertThat(same.err()).doesNotContain("deprecated");
    }

    @Test
    void badOrderInputIsRefusedBeforeAnyStoreIsTouched() {
        racelab("run", "--scenario", "order", "--strategy", "atomic", "--quantity", "0").isOneLineUsageError("--quantity must be at least 1");
        racelab("run", "--scenario", "order", "--strategy", "atomic", "--quantity", "-2").isOneLineUsageError("--quantity must be at least 1");
        racelab("run", "--scenario", "order", "--strategy", "atomic", "--product", "p404").isOneLineUsageError("unknown product 'p404'");
        racelab("run", "--scenario", "order", "--strategy", "atomic", "--stock", "9223372036854775807")
                .isOneLineUsageError("overflows");
        racelab("run", "--scenario", "order", "--strategy", "atomic", "--stock", "-1").isOneLineUsageError("--stock must not be negative");
        racelab("run", "--preset", "black-friday", "--strategy", "atomic").isOneLineUsageError("unknown preset 'black-friday'");
        racelab("run", "--preset", "last-item", "--strategy", "atomic", "--crash-between-steps", "1")
                .isOneLineUsageError("--crash-between-steps needs a strategy with two steps");
        racelab("run", "--preset", "last-item", "--store", "redis", "--strategy", "reserve-confirm", "--order-log", "redis")
                .isOneLineUsageError("--order-log must be a SQL store");
        racelab("run", "--store", "redis", "--strategy", "decide-then-log").isOneLineUsageError("needs --scenario order");
        racelab("run", "--store", "mysql", "--strategy", "lock").isOneLineUsageError("LEASE");
    }

    @Test
    void theLastItemPresetSellsTheOneItemOnceAndRejectsTheRest(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("last-item.json");
        Result r = racelab("run", "--preset", "last-item", "--store", "mysql", "--strategy", "optimistic", "--json", json.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.PASS);
        JsonNode node = Json.MAPPER.readTree(Files.readString(json));
        assertThat(node.get("ok").asLong()).isEqualTo(1);
        assertThat(node.get("orders").asLong()).isEqualTo(1);
        assertThat(node.get("oversold").asLong()).isZero();
        assertThat(node.get("rejected").get("soldOut").asLong() + node.get("rejected").get("conflict").asLong()
                + node.get("rejected").get("conflictExhausted").asLong()).isEqualTo(99);
        assertThat(node.get("lostUpdates").asLong()).isZero();
        assertThat(r.out()).contains("1 orders succeeded").contains("99 orders were refused").contains("PASS");
    }

    /** As above: every buyer holds its read of the one unit until all eight have read, so all of them see it in stock. */
    @Test
    void naiveOrdersOversellAndExitOne() throws Exception {
        Result r = racelab("run", "--preset", "last-item", "--store", "postgres", "--strategy", "naive",
                "--instances", "1", "--threads", "8", "--read-barrier", "8");
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.FAIL);
        assertThat(r.out()).contains("FAIL").contains("units were sold that the stock did not have");
    }

    @Test
    void theManyAccountsPresetRunsItsStrategiesAndPassesOnBothDatabases(@TempDir Path dir) throws Exception {
        for (String store : new String[] {"postgres", "mysql"}) {
            Path json = dir.resolve(store + ".json");
            // the preset's former name still works, and says its new one
            String preset = store.equals("mysql") ? "seed-004" : "many-accounts";
            Result r = racelab("run", "--preset", preset, "--store", store, "--json", json.toString());
            assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.PASS);
            if (store.equals("mysql")) assertThat(r.err()).contains("preset seed-004 is now called many-accounts");
            JsonNode runs = Json.MAPPER.readTree(Files.readString(json));
            assertThat(runs.size()).isEqualTo(3);
            assertThat(runs.get(0).get("strategy").asText()).isEqualTo(store.equals("postgres") ? "pessimistic-nokey" : "pessimistic");
            assertThat(runs.get(1).get("strategy").asText()).isEqualTo("optimistic-3");
            assertThat(runs.get(2).get("strategy").asText()).isEqualTo("optimistic");
            for (JsonNode run : runs) {
                assertThat(run.get("invoked").asLong()).isEqualTo(1_000);
                assertThat(run.get("verdict").asText()).isEqualTo("PASS");
                assertThat(run.get("ok").asLong() + run.get("rejected").get("conflictExhausted").asLong()).isEqualTo(1_000);
            }
        }
    }

    @Test
    void badAccountInputIsRefused() {
        racelab("run", "--scenario", "deposit", "--strategy", "atomic", "--amount", "10.001").isOneLineUsageError("more than 2 decimals");
        racelab("run", "--scenario", "deposit", "--strategy", "atomic", "--amount", "0").isOneLineUsageError("--amount");
        racelab("run", "--scenario", "transfer", "--strategy", "atomic", "--accounts", "1").isOneLineUsageError("at least 2 --accounts");
        racelab("run", "--scenario", "transfer", "--store", "redis", "--strategy", "optimistic")
                .isOneLineUsageError("to change several cells at once");
        racelab("run", "--preset", "last-item").isOneLineUsageError("--strategy is required");
    }

    @Test
    void helpListsTheCommands() {
        Result r = racelab("--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("demo").contains("run").contains("serve").contains("list").contains("Exit codes");
        assertThat(racelab("list").out()).contains("pessimistic-nokey").contains("ROW_LOCK_NO_KEY");
        assertThat(racelab("list").out()).contains("last-item").contains("flash-sale").contains("many-accounts").contains("dynamodb").contains("LEASE");
        for (String command : new String[] {"run", "demo", "list", "populate", "serve", "load"}) {
            Result help = racelab(command, "--help");
            assertThat(help.code()).as(command + " --help: " + help.err()).isZero();
            assertThat(help.out()).contains("Usage: racelab " + command);
        }
        assertThat(racelab("run", "--help").out()).contains("--strategy").contains("--instances").contains("--json")
                .contains("--retry-max-attempts").contains("--postgres-url").contains("--preset").contains("--redis-url")
                .contains("--dynamodb-url").contains("--crash-between-steps");
    }
}
