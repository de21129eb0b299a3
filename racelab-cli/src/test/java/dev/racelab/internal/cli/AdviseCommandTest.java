package dev.racelab.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.racelab.internal.json.Json;
import dev.racelab.internal.report.RunResult;
import dev.racelab.internal.vocab.PassFail;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * racelab advise on a hand-made bench directory whose right answers are known: at 32 threads on
 * one row, optimistic-noretry has the highest goodput but refuses operations, coalesce is next
 * but changes one cell per operation, atomic is next; serializable is faster than all of them
 * but failed a run, and naive lost updates. At 8 threads pessimistic leads.
 */
class AdviseCommandTest {
    @TempDir
    static Path tmp;
    static Path dir;

    record Result(int code, String out, String err) {
    }

    private static Result racelab(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    /** A run with {@code ok} acknowledged operations in one second. */
    private static RunResult run(String strategy, int threads, long ok, long lost, long refused, boolean pass) {
        long invoked = ok + refused;
        return RunResult.builder().scenario("counter").store("postgres").strategy(strategy).instances(1).threads(threads).seconds(1L)
                .planned(invoked).invoked(invoked).ok(ok).failed(refused > 0 ? Map.of("conflict", refused) : Map.of())
                .retries(strategy.startsWith("optimistic") ? ok / 2 : 0)
                .expected(ok).actual(ok - lost).lostUpdates(lost)
                .verdict(pass ? PassFail.PASS : PassFail.FAIL).explanation(pass ? "every increment is there" : lost + " increments are missing")
                .durationMs(1000).opsPerSec(invoked).latencyMs(new RunResult.LatencyMs(1, 2, 3, 4)).peakHeapMb(100).liveHeapMb(50)
                .build();
    }

    @BeforeAll
    static void benchDir() throws Exception {
        dir = tmp.resolve("bench");
        Path runs = Files.createDirectories(dir.resolve("runs"));
        List<RunResult> all = new ArrayList<>(List.of(
                run("naive", 32, 10_000, 4_000, 0, false),
                run("atomic", 32, 3_000, 0, 0, true),
                run("atomic", 32, 3_200, 0, 0, true),
                run("pessimistic", 32, 1_200, 0, 0, true),
                run("optimistic", 32, 800, 0, 0, true),
                run("optimistic-noretry", 32, 7_000, 0, 500, true),
                run("coalesce", 32, 6_000, 0, 0, true),
                run("serializable", 32, 9_000, 3, 0, false),
                run("naive", 8, 9_000, 100, 0, false),
                run("atomic", 8, 5_000, 0, 0, true),
                run("pessimistic", 8, 8_000, 0, 0, true),
                run("atomic", 1, 1_000, 0, 0, true)));
        int i = 0;
        for (RunResult r : all) Json.MAPPER.writeValue(runs.resolve(r.strategy() + "-t" + r.threads() + "-" + (i++) + ".json").toFile(), r);
    }

    private static JsonNode advise(String... flags) throws Exception {
        Path json = Files.createTempFile(tmp, "advice", ".json");
        List<String> args = new ArrayList<>(List.of("advise", "--store", "postgres", "--from", dir.toString(), "--json", json.toString()));
        args.addAll(List.of(flags));
        Result r = racelab(args.toArray(String[]::new));
        assertThat(r.code()).as("exit code; stderr: %s", r.err()).isZero();
        assertThat(r.out()).contains("Use ");
        return Json.MAPPER.readTree(json.toFile());
    }

    private static List<String> avoided(JsonNode advice) {
        List<String> names = new ArrayList<>();
        advice.get("avoid").forEach(a -> names.add(a.get("strategy").asText()));
        return names;
    }

    private static String why(JsonNode advice, String strategy) {
        for (JsonNode a : advice.get("avoid")) if (a.get("strategy").asText().equals(strategy)) return a.get("why").asText();
        throw new AssertionError(strategy + " is not avoided: " + advice.get("avoid"));
    }

    @Test
    void theFastestSafeStrategyThatPassedEveryRunAtTheMeasuredPointIsTheAnswer() throws Exception {
        JsonNode a = advise("--rows", "1", "--threads", "32");
        JsonNode pick = a.get("recommendation");
        assertThat(pick.get("strategy").asText()).isEqualTo("optimistic-noretry");
        assertThat(pick.get("medianGoodputPerSec").asDouble()).isEqualTo(7_000);
        assertThat(pick.get("reason").asText()).contains("highest median goodput", "threads=32 rows=1", "7,000 ok/s", "every run PASS",
                "coalesce (6,000 ok/s)");
        assertThat(pick.get("runs")).hasSize(1);
        assertThat(pick.get("runs").get(0).get("file").asText()).startsWith("runs/optimistic-noretry-t32-");
        assertThat(a.get("measuredAt").get("exact").asBoolean()).isTrue();
        assertThat(a.get("measuredAt").get("extrapolated").asBoolean()).isFalse();
        assertThat(avoided(a)).containsExactlyInAnyOrder("naive", "serializable");
        assertThat(why(a, "naive")).contains("not safe", "1 of 1 runs FAIL", "4,000 updates lost");
        assertThat(why(a, "serializable")).contains("FAILED 1 of 1 runs on postgres", "3 lost");
        assertThat(a.get("alternatives").findValuesAsText("strategy")).containsExactly("coalesce", "atomic", "pessimistic", "optimistic");
        assertThat(a.get("alternatives").get(1).get("medianGoodputPerSec").asDouble()).as("atomic's median of 3,000 and 3,200").isEqualTo(3_100);
        assertThat(a.get("alternatives").get(1).get("runs")).hasSize(2);
    }

    @Test
    void clientsThatCannotRetryRuleOutWhatMayGiveUp() throws Exception {
        JsonNode a = advise("--rows", "1", "--threads", "32", "--client-retries", "no");
        assertThat(a.get("recommendation").get("strategy").asText()).isEqualTo("coalesce");
        assertThat(why(a, "optimistic-noretry")).contains("gives up", "your clients cannot retry");
    }

    @Test
    void operationsOnSeveralCellsRuleOutTheOneCellStrategies() throws Exception {
        JsonNode a = advise("--rows", "1", "--threads", "32", "--client-retries", "no", "--cells-per-op", "2");
        assertThat(a.get("recommendation").get("strategy").asText()).isEqualTo("atomic");
        assertThat(a.get("recommendation").get("medianGoodputPerSec").asDouble()).isEqualTo(3_100);
        assertThat(why(a, "coalesce")).contains("one cell per operation", "yours change 2");
    }

    @Test
    void betweenMeasuredPointsItAnswersAtTheNearestAndSaysSo() throws Exception {
        JsonNode a = advise("--rows", "1", "--threads", "10");
        assertThat(a.get("measuredAt").get("threads").asInt()).isEqualTo(8);
        assertThat(a.get("measuredAt").get("exact").asBoolean()).isFalse();
        assertThat(a.get("measuredAt").get("extrapolated").asBoolean()).isFalse();
        assertThat(a.get("recommendation").get("strategy").asText()).isEqualTo("pessimistic");
        assertThat(a.get("notes").get(0).asText()).contains("threads=10", "at threads=8 rows=1, the nearest measured point");
    }

    @Test
    void outsideWhatWasMeasuredItSaysItExtrapolates() throws Exception {
        Path json = tmp.resolve("far.json");
        Result r = racelab("advise", "--store", "postgres", "--rows", "1", "--threads", "64", "--from", dir.toString(), "--json", json.toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("EXTRAPOLATED", "outside what was measured");
        JsonNode a = Json.MAPPER.readTree(json.toFile());
        assertThat(a.get("measuredAt").get("threads").asInt()).isEqualTo(32);
        assertThat(a.get("measuredAt").get("extrapolated").asBoolean()).isTrue();
        assertThat(a.get("recommendation").get("reason").asText()).contains("this extrapolates");
        assertThat(a.get("notes").get(0).asText()).contains("threads=64", "threads 1,8,32", "racelab bench --store postgres --threads 64");
    }

    @Test
    void acrossStoresPointsToTheTwoStoreDesigns() throws Exception {
        Path json = tmp.resolve("two.json");
        Result r = racelab("advise", "--store", "postgres", "--threads", "32", "--across-stores", "--from", dir.toString(), "--json", json.toString());
        assertThat(r.code()).as("nothing measured qualifies: exit 1; %s", r.err()).isEqualTo(ExitCode.FAIL);
        JsonNode a = Json.MAPPER.readTree(json.toFile());
        assertThat(a.get("recommendation").isNull()).isTrue();
        assertThat(why(a, "atomic")).contains("changes one store");
        assertThat(why(a, "decide-then-log")).contains("not safe");
        assertThat(a.get("notes").toString()).contains("reserve-confirm");
    }

    @Test
    void badInputIsOneLineAndExitTwo() throws Exception {
        String d = dir.toString();
        for (String[] args : List.of(
                new String[] {"advise", "--store", "postgres", "--threads", "0", "--from", d},
                new String[] {"advise", "--store", "postgres", "--threads", "8", "--rows", "0", "--from", d},
                new String[] {"advise", "--store", "postgres", "--threads", "8", "--cells-per-op", "0", "--from", d},
                new String[] {"advise", "--store", "postgres", "--threads", "8", "--client-retries", "maybe", "--from", d},
                new String[] {"advise", "--store", "oracle", "--threads", "8", "--from", d},
                new String[] {"advise", "--store", "postgres", "--threads", "8", "--from", tmp.resolve("nowhere").toString()},
                new String[] {"advise", "--store", "postgres", "--threads", "8", "--from", tmp.toString()},
                new String[] {"advise", "--store", "mysql", "--threads", "8", "--from", d},
                new String[] {"advise", "--store", "postgres"})) {
            Result r = racelab(args);
            assertThat(r.code()).as("%s: %s", String.join(" ", args), r.err()).isEqualTo(ExitCode.USAGE);
            assertThat(r.err().strip()).as(String.join(" ", args)).doesNotContain("\n").startsWith("racelab: ");
        }
        assertThat(racelab("advise", "--store", "postgres", "--threads", "0", "--from", d).err()).contains("--threads must be between 1 and");
        assertThat(racelab("advise", "--store", "mysql", "--threads", "8", "--from", d).err()).contains("no run on store mysql", "postgres");
        assertThat(racelab("advise", "--store", "postgres", "--threads", "8", "--from", tmp.toString()).err()).contains("not a bench directory");
    }
}
