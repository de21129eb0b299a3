package dev.racelab.internal.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racelab.internal.json.Json;
import dev.racelab.internal.vocab.FaultKind;
import dev.racelab.internal.vocab.PassFail;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A result's JSON is flat and fixed, whatever groups the record keeps inside: the same keys in the
 * same order, a null one left out, so results files written before read and write the same.
 */
class RunResultJsonTest {
    /** A result with every field set (faults with their facts, a failure and electors, workers on hosts, batches, orders, a series). */
    @Test
    void aResultWithEveryFieldWritesBackByteForByte() throws IOException {
        String written;
        try (InputStream in = RunResultJsonTest.class.getResourceAsStream("every-field.json")) {
            written = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        RunResult r = Json.MAPPER.readValue(written, RunResult.class);
        assertThat(Json.MAPPER.writeValueAsString(r)).isEqualTo(written.strip());
        assertThat(r.shape().strategy()).isEqualTo("lock");
        assertThat(r.counts().maxBatch()).isEqualTo(7L);
        assertThat(r.check().verdict()).isEqualTo(PassFail.FAIL);
        assertThat(r.incidents().faults()).extracting(RunResult.Fault::kind).contains(FaultKind.FAILOVER);
        assertThat(r.shape().workers()).singleElement().extracting(RunResult.WorkerHost::host).isEqualTo("u@h");
    }

    /**
     * bench/results holds results written by earlier versions. Each reads; one written with every key
     * the current version writes comes back byte for byte, and an older one with the keys it lacked.
     */
    @Test
    void resultsWrittenByEarlierVersionsReadAndThoseOfThisShapeWriteBackUnchanged() throws IOException {
        List<Path> files;
        try (Stream<Path> all = Files.walk(repo().resolve("bench/results"))) {
            files = all.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(files).as("results files in bench/results").hasSizeGreaterThan(10);
        int unchanged = 0;
        for (Path file : files) {
            String text = Files.readString(file).strip();
            RunResult r = Json.MAPPER.readValue(text, RunResult.class);
            String again = Json.MAPPER.writeValueAsString(r);
            assertThat(Json.MAPPER.readValue(again, RunResult.class)).as(file.toString()).isEqualTo(r);
            if (again.equals(text)) unchanged++;
        }
        assertThat(unchanged).as("files written with every key this version writes").isGreaterThanOrEqualTo(5);
    }

    @Test
    void aBuiltResultKeepsItsGroupsAndLeavesNullFieldsOut() throws IOException {
        RunResult r = RunResult.builder().scenario("counter").store("postgres").strategy("atomic").instances(1).threads(2).iterations(10)
                .planned(20).invoked(20).ok(20).expected(20).actual(20).verdict(PassFail.PASS).explanation("every increment is there")
                .latencyMs(new RunResult.LatencyMs(1, 2, 3, 4)).build();
        String json = Json.MAPPER.writeValueAsString(r);
        assertThat(json).startsWith("{\n  \"scenario\" : \"counter\",\n  \"store\" : \"postgres\",\n  \"strategy\" : \"atomic\",")
                .doesNotContain("\"orders\"").doesNotContain("\"seconds\"").doesNotContain("\"workers\"").doesNotContain("\"meanBatch\"")
                .contains("\"rows\" : 1");
        assertThat(Json.MAPPER.readValue(json, RunResult.class)).isEqualTo(r);
        assertThat(r.toBuilder().lostUpdates(3).build().check().lostUpdates()).isEqualTo(3);
    }

    /** The repository's root: the nearest directory up that holds bench/. */
    private static Path repo() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("bench/results"))) return dir;
        }
        throw new IllegalStateException("no bench/results above " + Path.of("").toAbsolutePath());
    }
}
