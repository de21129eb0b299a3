package dev.racelab.internal.lab;

import dev.racelab.core.Clock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Faults on one node's servers, each by the pid the lab recorded and only while /proc shows that
 * very process (its executable and start time): SIGSTOP and SIGCONT, a stop and a start again as
 * the lab started it, recorded in the lab's state so {@code lab down} stops the new process.
 */
final class NodeControl {
    static final Duration STOP_WITHIN = Duration.ofSeconds(30);
    static final Duration REJOIN_WITHIN = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(100);

    private final LabDirectory directory;
    private final String labName;
    private final Clock clock = Clock.SYSTEM;

    NodeControl(LabDirectory directory, String labName) {
        this.directory = directory;
        this.labName = labName;
    }

    private LabState now() {
        return directory.read(labName).orElseThrow(() -> new LabException("lab " + labName + " has no state any more"));
    }

    private List<LabServer> serversOn(String node) {
        List<LabServer> servers = now().servers().stream().filter(s -> s.node().equals(node)).toList();
        if (servers.isEmpty()) throw new LabException("lab " + labName + " records no server on " + node);
        for (LabServer s : servers) {
            if (!s.alive()) throw new LabException("the " + s.role() + " on " + node + " (pid " + s.pid() + ") does not run");
        }
        return servers;
    }

    /** SIGSTOPs every server on the node; the answer's {@code run} continues them (each once, only while it is the same process). */
    Runnable pause(String node) {
        List<LabServer> servers = serversOn(node);
        List<LabServer> stopped = new ArrayList<>();
        Runnable resume = () -> {
            for (LabServer s : stopped) signal(s, "CONT");
            stopped.clear();
        };
        try {
            for (LabServer s : servers) {
                signal(s, "STOP");
                stopped.add(s);
            }
        } catch (RuntimeException e) {
            resume.run();
            throw e;
        }
        return resume;
    }

    /** The pids of the node's servers, for the fault's description. */
    String describe(String node) {
        return String.join(", ", serversOn(node).stream().map(s -> s.role() + " pid " + s.pid()).toList());
    }

    private static void signal(LabServer s, String signal) {
        if (!ProcessIdentity.stillRuns(s.pid(), s.executable(), s.startTime())) {
            throw new LabException("the " + s.role() + " on " + s.node() + " (pid " + s.pid() + ") is not the process the lab started any more");
        }
        HostCommands.require("kill", "-" + signal, Long.toString(s.pid()));
    }

    /**
     * Stops every server on the node (SIGTERM, SIGKILL after 30 s) by its pid; the answer's
     * {@code run} starts each again with {@code kind}'s restart command, records it in the lab's
     * state in place of the old one, and waits until the node has rejoined.
     */
    Runnable stop(String node, LabStoreKind kind) {
        List<LabServer> servers = serversOn(node);
        for (LabServer s : servers) signal(s, "TERM");
        awaitGone(servers, STOP_WITHIN);
        for (LabServer s : servers) {
            if (s.alive()) signal(s, "KILL");
        }
        awaitGone(servers, Duration.ofSeconds(5));
        return () -> start(node, servers, kind);
    }

    /**
     * kill -9 of the node's recorded servers that {@code which} takes, each only while it is the
     * process the lab started; the answer's {@code run} starts them again as {@link #stop}'s does.
     */
    KilledRecorded kill(String node, LabStoreKind kind, java.util.function.Predicate<LabServer> which) {
        List<LabServer> servers = serversOn(node).stream().filter(which).toList();
        if (servers.isEmpty()) throw new LabException("lab " + labName + " records no store server on " + node);
        for (LabServer s : servers) signal(s, "KILL");
        awaitGone(servers, Duration.ofSeconds(5));
        return new KilledRecorded(servers, () -> start(node, servers, kind));
    }

    /** Servers killed by {@link #kill}, and how to start them again. */
    record KilledRecorded(List<LabServer> servers, Runnable startAgain) {
    }

    private void start(String node, List<LabServer> stopped, LabStoreKind kind) {
        LabState lab = now();
        LabNode host = lab.node(node);
        for (LabServer old : stopped) {
            List<String> command = kind.restartCommand(old);
            if (command.isEmpty()) throw new LabException("the lab did not record how it started the " + old.role() + " on " + node);
            LabServer started = ServerLauncher.spawn(clock, old.role(), host, Path.of(old.executable()), command, Path.of(old.dataDir()),
                    old.port());
            directory.locked(() -> {
                directory.write(now().withServerReplaced(old, started));
                return null;
            });
        }
        long deadline = clock.nanoTime() + REJOIN_WITHIN.toNanos();
        Optional<String> missing = kind.notRejoined(now(), host);
        while (missing.isPresent()) {
            for (LabServer s : now().servers()) {
                if (s.node().equals(node) && !s.alive()) {
                    throw new LabException("the " + s.role() + " on " + node + " stopped after its restart; its log " + s.log() + " ends: "
                            + Labs.tail(Path.of(s.log())));
                }
            }
            if (clock.nanoTime() > deadline) {
                throw new LabException(node + " did not rejoin within " + REJOIN_WITHIN.toSeconds() + " s of its restart: " + missing.get());
            }
            sleep(POLL);
            missing = kind.notRejoined(now(), host);
        }
    }

    private void awaitGone(List<LabServer> servers, Duration within) {
        long deadline = clock.nanoTime() + within.toNanos();
        while (servers.stream().anyMatch(LabServer::alive) && clock.nanoTime() < deadline) sleep(Duration.ofMillis(50));
    }

    private void sleep(Duration d) {
        try {
            clock.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted", e);
        }
    }
}
