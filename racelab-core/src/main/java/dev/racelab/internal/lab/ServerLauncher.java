package dev.racelab.internal.lab;

import dev.racelab.core.Clock;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Starts a lab's server as {@code ip netns exec NS setsid COMMAND}: ip and setsid each replace
 * themselves with the next program (setsid forks only for a process group leader, which a child
 * of the JVM is not), and so does a {@code setpriv} that runs it as another user, so the pid
 * racelab holds is the server's own. The server runs in the foreground, in a session of its own,
 * and outlives racelab; its output goes to a log in its data directory.
 */
final class ServerLauncher {
    private static final Duration EXEC_WITHIN = Duration.ofSeconds(5);

    private ServerLauncher() {
    }

    /** What runs a program as {@code user} (its group, its groups, its HOME and PATH): setpriv, which execs it. */
    static List<String> asUser(String user) {
        return List.of(Preflight.find("setpriv").map(Path::toString).orElse("setpriv"),
                "--reuid=" + user, "--regid=" + user, "--init-groups", "--reset-env");
    }

    /**
     * Runs {@code command} (its program, or a wrapper that execs it) in the node's namespace and
     * waits until /proc shows {@code executable} under the pid; the server is recorded with the
     * command, so it can be started again as it was.
     */
    static LabServer spawn(Clock clock, String role, LabNode node, Path executable, List<String> command, Path dataDir, int port) {
        Path exe;
        try {
            exe = executable.toRealPath();
        } catch (IOException e) {
            throw new LabException("cannot find " + executable + ": " + e.getMessage(), e);
        }
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", node.namespace(), "setsid"));
        full.addAll(command);
        Path log = dataDir.resolve(role + ".log");
        ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        try {
            Process process = builder.start();
            long pid = process.pid();
            // Until ip, setsid (and setpriv) have replaced themselves with the server, /proc shows them under this pid.
            long deadline = clock.nanoTime() + EXEC_WITHIN.toNanos();
            Optional<ProcessIdentity> now = ProcessIdentity.of(pid);
            while (process.isAlive() && now.map(p -> !p.executable().equals(exe.toString())).orElse(false) && clock.nanoTime() < deadline) {
                sleep(clock, Duration.ofMillis(5));
                now = ProcessIdentity.of(pid);
            }
            if (!process.isAlive() || now.isEmpty() || !now.get().executable().equals(exe.toString())) {
                throw new LabException("the " + role + " on " + node.name() + " did not start; its log " + log + " ends: " + Labs.tail(log));
            }
            return new LabServer(role, node.name(), pid, exe.toString(), now.get().startTime(), node.address(), port, dataDir.toString(),
                    log.toString(), command);
        } catch (IOException e) {
            throw new LabException("cannot start " + String.join(" ", full) + ": " + e.getMessage(), e);
        }
    }

    private static void sleep(Clock clock, Duration d) {
        try {
            clock.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted", e);
        }
    }
}
