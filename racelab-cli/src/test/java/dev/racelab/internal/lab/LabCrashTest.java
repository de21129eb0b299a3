package dev.racelab.internal.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racelab.internal.cli.ExitCode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * racelab killed -9 while it makes a lab: {@code lab down}, from another process, still removes
 * everything. The kill lands at a step the dying process reported and holds at.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES) // the bound for a lab test; a hang fails instead of stalling the build
class LabCrashTest {

    @ParameterizedTest(name = "killed once it reported \"{0}\"")
    @ValueSource(strings = {"hosts made", "started replica on n2", "started sentinel on n3"})
    void downRemovesEverythingAfterUpWasKilledAtAStep(String step) throws Exception {
        String name = LabLeftovers.uniqueName("kc");
        try {
            Process up = javaMain(LabUpUntil.class.getName(), name, step);
            List<String> lines = readUntil(up, "holding");
            assertThat(lines).as("what the killed racelab reported").anyMatch(l -> l.contains(step));
            up.destroyForcibly(); // SIGKILL: no shutdown hook, no finally
            assertThat(up.waitFor(30, TimeUnit.SECONDS)).isTrue();

            LabState left = LabLeftovers.state(name);
            assertThat(left.phase()).isEqualTo(LabState.CREATING);
            assertThat(HostCommands.require("ip", "netns", "list")).contains("rl-" + name + "-n3");
            int serversBefore = step.equals("hosts made") ? 0 : step.contains("replica on n2") ? 2 : 6;
            assertThat(left.servers()).as("servers recorded before the kill").hasSize(serversBefore);
            assertThat(left.servers()).as("they outlive racelab").allMatch(LabServer::alive);

            LabLifecycleTest.Result down = LabLifecycleTest.racelab("lab", "down", name);
            assertThat(down.code()).as(down.err()).isEqualTo(ExitCode.PASS);
            assertThat(down.out()).contains("lab " + name + " removed: " + serversBefore + " servers stopped, 3 namespaces");
            LabLeftovers.assertNothingLeft(left);
            assertThat(LabLifecycleTest.racelab("lab", "down", name).out()).contains("nothing to remove");
        } finally {
            LabLifecycleTest.racelab("lab", "down", name);
        }
    }

    /** The real command line, killed once it reported a server started: whatever it reached since, down undoes it. */
    @Test
    void downRemovesEverythingAfterTheCommandLineWasKilled() throws Exception {
        String name = LabLeftovers.uniqueName("kl");
        try {
            Process up = javaMain("dev.racelab.internal.cli.Main", "lab", "up", name, "--store", "redis-sentinel");
            readUntil(up, "started primary on n1");
            up.destroyForcibly();
            assertThat(up.waitFor(30, TimeUnit.SECONDS)).isTrue();

            LabState left = LabLeftovers.state(name);
            assertThat(left.servers()).as("servers recorded before the kill").isNotEmpty();
            assertThat(LabLifecycleTest.racelab("lab", "down", name).code()).isEqualTo(ExitCode.PASS);
            LabLeftovers.assertNothingLeft(left);
        } finally {
            LabLifecycleTest.racelab("lab", "down", name);
        }
    }

    private static Process javaMain(String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /** Lines of the process's output up to the first that contains {@code marker}; fails if it ends first. */
    private static List<String> readUntil(Process process, String marker) throws IOException {
        List<String> lines = new ArrayList<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = reader.readLine()) != null) {
            lines.add(line);
            if (line.contains(marker)) return lines;
        }
        throw new AssertionError("the process ended before it printed '" + marker + "': " + String.join("\n", lines));
    }
}
