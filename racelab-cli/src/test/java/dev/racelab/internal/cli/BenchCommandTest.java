package dev.racelab.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.racelab.internal.json.Json;
import dev.racelab.internal.run.Sweep;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** racelab bench: the sweep's plan, its files, resuming it, and the flags it refuses. */
class BenchCommandTest {
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
    void theRunsAreInterleavedRepeatByRepeatAndPlannedTheSameEveryTime() {
        Sweep sweep = new Sweep(List.of("postgres"), List.of("atomic", "pessimistic", "optimistic"), "counter", 1, List.of(1, 4, 16, 64),
                List.of(1, 10, 100), 8, 3, 3);
        List<Sweep.PlannedRun> order = sweep.order();
        assertThat(sweep.points()).hasSize(36);
        assertThat(order).hasSize(108).isEqualTo(sweep.order());
        for (int rep = 1; rep <= 3; rep++) {
            List<Sweep.PlannedRun> block = order.subList((rep - 1) * 36, rep * 36);
            int r = rep;
            assertThat(block).allMatch(p -> p.repeat() == r);
            assertThat(new HashSet<>(block.stream().map(Sweep.PlannedRun::point).toList())).hasSize(36);
        }
        assertThat(order.subList(0, 36).stream().map(Sweep.PlannedRun::point).toList())
                .as("each repeat in its own order").isNotEqualTo(order.subList(36, 72).stream().map(Sweep.PlannedRun::point).toList());
    }

    @Test
    void aSweepWritesEveryRunsJsonAndOneCsvAndResumesOnlyWhatIsMissing(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("sweep");
        String[] flags = {"bench", "--store", "postgres", "--strategies", "atomic,naive", "--threads", "1,2", "--rows", "1,3",
                "--seconds", "1", "--repeat", "1", "--warmup", "0", "--out", dir.toString()};
        Result first = racelab(flags);
        assertThat(first.code()).as(first.err()).isEqualTo(ExitCode.PASS); // naive may fail: it is not safe
        assertThat(first.err()).contains("8/8 runs").contains("ETA").contains("point ");
        List<Path> runs = list(dir.resolve("runs"));
        assertThat(runs).hasSize(8);
        List<String> csv = Files.readAllLines(dir.resolve("results.csv"));
        assertThat(csv).hasSize(9);
        assertThat(csv.get(0)).startsWith("file,point,repeat,store,strategy");
        for (String line : csv.subList(1, csv.size())) {
            String[] cells = line.split(",");
            JsonNode json = Json.MAPPER.readTree(dir.resolve(cells[0]).toFile());
            List<String> header = List.of(csv.get(0).split(","));
            assertThat(cells[header.indexOf("invoked")]).isEqualTo(json.get("invoked").asText());
            assertThat(json.get("planned").asLong()).isEqualTo(json.get("invoked").asLong());
            assertThat(cells[header.indexOf("lostUpdates")]).isEqualTo(json.get("lostUpdates").asText());
            assertThat(cells[header.indexOf("rows")]).isEqualTo(json.get("rows").asText());
            assertThat(cells[header.indexOf("verdict")]).isEqualTo(json.get("verdict").asText());
            if (json.get("strategy").asText().equals("atomic")) assertThat(json.get("verdict").asText()).isEqualTo("PASS");
        }

        racelab(flags).isOneLineUsageError("exists and is not empty; give --resume");
        racelab("bench", "--resume", dir.toString(), "--threads", "1,8", "--seconds", "2")
                .isOneLineUsageError("--threads: the sweep has 1,2, this asks for 1,8; --seconds: the sweep has 1, this asks for 2");

        Files.delete(runs.get(0));
        Files.writeString(runs.get(1), "{\"cut\": "); // a file left half written is run again
        Result resumed = racelab("bench", "--resume", dir.toString());
        assertThat(resumed.code()).as(resumed.err()).isEqualTo(ExitCode.PASS);
        assertThat(resumed.err()).contains("6 of 8 runs are already in").contains("running the other 2");
        assertThat(list(dir.resolve("runs"))).hasSize(8);
        assertThat(Json.MAPPER.readTree(runs.get(1).toFile()).get("verdict")).isNotNull();
        assertThat(Files.readAllLines(dir.resolve("results.csv"))).hasSize(9);
    }

    @Test
    void badSweepsAreRefusedInOneLine(@TempDir Path tmp) {
        racelab("bench", "--store", "postgres").isOneLineUsageError("--out DIR is required");
        racelab("bench", "--store", "postgres", "--threads", "0", "--out", tmp.resolve("a").toString()).isOneLineUsageError("--threads");
        racelab("bench", "--store", "postgres", "--threads", "1,1", "--out", tmp.resolve("a").toString()).isOneLineUsageError("twice");
        racelab("bench", "--store", "postgres", "--repeat", "0", "--out", tmp.resolve("a").toString()).isOneLineUsageError("--repeat");
        racelab("bench", "--store", "oracle", "--out", tmp.resolve("a").toString()).isOneLineUsageError("unknown store 'oracle'");
        racelab("bench", "--store", "postgres", "--scenario", "order", "--rows", "5", "--out", tmp.resolve("a").toString())
                .isOneLineUsageError("--rows");
        racelab("bench", "--resume", tmp.toString()).isOneLineUsageError("holds no sweep");
        racelab("run", "--strategy", "atomic", "--seconds", "2", "--iterations", "5").isOneLineUsageError("exclude each other");
        racelab("run", "--strategy", "atomic", "--rows", "3", "--scenario", "deposit").isOneLineUsageError("--rows spreads the counter");
        racelab("run", "--strategy", "atomic", "--rows", "0").isOneLineUsageError("--rows");
        assertThat(racelab("bench", "--help").out()).contains("--strategies").contains("--resume").contains("--postgres-url");
        assertThat(racelab("report", "--help").out()).contains("self-contained");
    }

    private static List<Path> list(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    static Set<String> names(List<Path> files) {
        Set<String> out = new HashSet<>();
        for (Path f : files) out.add(f.getFileName().toString());
        return out;
    }
}
