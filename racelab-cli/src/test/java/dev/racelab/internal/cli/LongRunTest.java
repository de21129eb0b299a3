package dev.racelab.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.racelab.internal.json.Json;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs of any length: stopped with Ctrl-C and still checked, their journals kept on request, refused when the disk is too small. */
class LongRunTest {
    private static final Pattern PROGRESS = Pattern.compile(": ([0-9,]+) ops, .*ops/s now");

    /**
     * A real {@code racelab run} in its own process, told to run ten minutes and sent SIGINT once
     * its progress line shows operations: the load ends, what ran is checked, the verdict is
     * printed with a line saying it was stopped early, and the exit code is a PASS's.
     */
    @Test
    void ctrlCStopsATimedRunWhichIsCheckedAndPasses(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("r.json");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "run", "--store", "redis", "--strategy", "atomic", "--instances", "2", "--threads", "4", "--seconds", "600",
                "--json", json.toString())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true).start();
        StringBuilder output = new StringBuilder();
        CountDownLatch opsShown = new CountDownLatch(1);
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    synchronized (output) {
                        output.append(line).append('\n');
                    }
                    Matcher m = PROGRESS.matcher(line);
                    if (m.find() && Long.parseLong(m.group(1).replace(",", "")) > 0) opsShown.countDown();
                }
            } catch (java.io.IOException e) {
                // the process ended
            }
        });
        try {
            assertThat(opsShown.await(120, TimeUnit.SECONDS)).as("a progress line with operations: %s", output).isTrue();
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start();
            assertThat(kill.waitFor()).isZero();
            assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("the run ended after SIGINT: %s", output).isTrue();
            reader.join(10_000);
            String said;
            synchronized (output) {
                said = output.toString();
            }
            System.out.println(said);
            assertThat(process.exitValue()).as(said).isEqualTo(ExitCode.PASS);
            assertThat(said).contains("Ctrl-C: stopping the load").containsPattern("stopped early at [0-9]+ s of 600 s")
                    .contains("PASS").contains("coordinator ").contains("journals ");
            JsonNode result = Json.MAPPER.readTree(Files.readString(json));
            assertThat(result.get("verdict").asText()).isEqualTo("PASS");
            assertThat(result.get("ok").asLong()).isPositive();
            assertThat(result.get("durationMs").asLong()).isLessThan(600_000);
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void keepHistoryMovesTheJournalsToTheDirectoryAndSaysWhere(@TempDir Path dir) throws Exception {
        Path kept = dir.resolve("kept");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new String[] {"run", "--store", "redis", "--strategy", "atomic", "--instances", "2", "--threads", "2",
                "--iterations", "50", "--keep-history", kept.toString()}, new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(code).as(err.toString()).isEqualTo(ExitCode.PASS);
        try (Stream<Path> files = Files.walk(kept)) {
            assertThat(files.filter(p -> p.getFileName().toString().endsWith(".bin"))).hasSize(2).allMatch(p -> p.toFile().length() > 0);
        }
        assertThat(err.toString()).contains("the journals are kept in " + kept.toAbsolutePath());
    }

    @Test
    void aCountedRunWhoseJournalsWouldNotFitTheDiskIsRefusedInOneLine() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new String[] {"run", "--store", "redis", "--strategy", "atomic", "--threads", "100",
                "--iterations", "4000000000"}, new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(code).as(err.toString()).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString().strip()).doesNotContain("\n").startsWith("racelab: ").contains("journals need about")
                .contains(" free").contains("--iterations");
    }
}
