package dev.racelab.internal.lab;

import dev.racelab.core.UsageException;
import dev.racelab.internal.vocab.StrategyId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A ZooKeeper ensemble, one server per node, for leases: Debian's {@code zookeeper} package, the
 * very ZooKeeper this machine's own runs (bin/start-services), each server a JVM of its own
 * ({@code java -cp /etc/zookeeper/conf:/usr/share/java/zookeeper.jar QuorumPeerMain zoo.cfg},
 * as zkServer.sh runs it, without the script's fork, so the pid recorded is the JVM's), on its
 * node's address, port 2181 for clients and 2888/3888 for its peers, with its dataDir and myid
 * under the lab's data directory. The ensemble elects its own leader; no fault aims at it.
 *
 * <p>tickTime is 500 ms, so sessions may be as short as 1 s (minSessionTimeout is 2 ticks), and
 * {@code maxSessionTimeout} is the lab option {@value #MAX_SESSION_OPTION} (default
 * {@value #DEFAULT_MAX_SESSION_MS} ms): a lease is a session's ephemeral node, and the server
 * grants no session longer than this, whatever a client asks for. So a lease whose holder is cut
 * off from the majority expires there within a few seconds, as in a partition of 8 s.
 */
final class ZooKeeperEnsembleLab implements LabStoreKind {
    static final String NAME = "zookeeper-ensemble";
    static final int CLIENT_PORT = 2181;
    static final int PEER_PORT = 2888;
    static final int ELECTION_PORT = 3888;
    static final int TICK_MS = 500;
    static final String MAX_SESSION_OPTION = "max-session-timeout";
    static final int DEFAULT_MAX_SESSION_MS = 2_000;
    static final Path JAVA = Path.of("/usr/bin/java");
    static final Path ZOOKEEPER_JAR = Path.of("/usr/share/java/zookeeper.jar");
    static final Path ZOOKEEPER_CONF = Path.of("/etc/zookeeper/conf");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "a ZooKeeper server on every node (Debian's zookeeper), one ensemble, for leases";
    }

    @Override
    public List<Preflight.Needed> needs() {
        return List.of(new Preflight.Needed(ZOOKEEPER_JAR.toString(), "zookeeper"), new Preflight.Needed(JAVA.toString(), "default-jre-headless"));
    }

    @Override
    public int minNodes() {
        return 3;
    }

    @Override
    public Map<String, String> options(Map<String, String> given) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put(MAX_SESSION_OPTION, Integer.toString(DEFAULT_MAX_SESSION_MS));
        for (Map.Entry<String, String> e : given.entrySet()) {
            if (!e.getKey().equals(MAX_SESSION_OPTION)) {
                throw new UsageException(NAME + " has no lab option '" + e.getKey() + "'; it has: " + MAX_SESSION_OPTION);
            }
            int ms;
            try {
                ms = Integer.parseInt(e.getValue());
            } catch (NumberFormatException nfe) {
                ms = -1;
            }
            if (ms < 2 * TICK_MS || ms > 600_000) {
                throw new UsageException("lab option " + MAX_SESSION_OPTION + " is milliseconds from " + 2 * TICK_MS + " (two ticks) to 600000, not '"
                        + e.getValue() + "'");
            }
            options.put(MAX_SESSION_OPTION, Integer.toString(ms));
        }
        return options;
    }

    @Override
    public void start(LabState lab, Path dataRoot, Starter starter) {
        Path java;
        try {
            java = JAVA.toRealPath();
        } catch (IOException e) {
            throw new LabException("cannot find " + JAVA + ": " + e.getMessage(), e);
        }
        List<LabNode> nodes = lab.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            LabNode node = nodes.get(i);
            Path dir = dataRoot.resolve(node.name() + "-zookeeper");
            Path data = dir.resolve("data");
            try {
                LabDirectory.createPrivate(dir);
                LabDirectory.createPrivate(data);
                Files.writeString(data.resolve("myid"), (i + 1) + "\n");
                Files.writeString(dir.resolve("zoo.cfg"), zooCfg(lab, node, data));
            } catch (IOException e) {
                throw new LabException("cannot write the configuration of the ZooKeeper on " + node.name() + " under " + dir + ": " + e.getMessage(), e);
            }
            List<String> args = List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-Dzookeeper.log.dir=" + dir, "-Dzookeeper.root.logger=INFO,CONSOLE",
                    // an election waits this long for a peer whose packets a cut drops (default 5 s, longer than a lease)
                    "-Dzookeeper.cnxTimeout=1000",
                    // a server cut off asks for votes ever more rarely (up to once a minute by default): after the heal it
                    // would rejoin seconds late, and a next cut would find no majority. At most once a second here.
                    "-Dzookeeper.fastleader.maxNotificationInterval=1000",
                    "-cp", classpath(), "org.apache.zookeeper.server.quorum.QuorumPeerMain", dir.resolve("zoo.cfg").toString());
            starter.start("zookeeper", node, java, args, dir, CLIENT_PORT);
        }
    }

    /** The package's classpath, and the log4j binding of slf4j when it is there (without one the server logs nothing). */
    private static String classpath() {
        StringBuilder cp = new StringBuilder(ZOOKEEPER_CONF + ":" + ZOOKEEPER_JAR);
        for (String jar : List.of("/usr/share/java/slf4j-log4j12.jar", "/usr/share/java/log4j-1.2.jar")) {
            if (Files.isRegularFile(Path.of(jar))) cp.append(':').append(jar);
        }
        return cp.toString();
    }

    private static String zooCfg(LabState lab, LabNode node, Path data) {
        List<String> lines = new ArrayList<>(List.of(
                // syncLimit 2 ticks: a follower cut off from the leader (or a leader from its quorum) gives up after 1 s,
                // so the majority elects, and expires the cut off side's sessions, early in a cut of a few seconds
                "tickTime=" + TICK_MS, "initLimit=20", "syncLimit=2",
                "minSessionTimeout=" + 2 * TICK_MS, "maxSessionTimeout=" + lab.options().get(MAX_SESSION_OPTION),
                "dataDir=" + data, "clientPort=" + CLIENT_PORT, "clientPortAddress=" + node.address(),
                "admin.enableServer=false", "4lw.commands.whitelist=srvr,mntr,ruok",
                // each peer listens on its own address: the node's, never every address of the machine
                "quorumListenOnAllIPs=false"));
        List<LabNode> nodes = lab.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            lines.add("server." + (i + 1) + "=" + nodes.get(i).address() + ":" + PEER_PORT + ":" + ELECTION_PORT);
        }
        return String.join("\n", lines) + "\n";
    }

    /** Ready: every server answers {@code srvr} as a leader or a follower, and exactly one is the leader. */
    @Override
    public Optional<String> notReady(LabState lab) {
        int leaders = 0;
        for (LabNode node : lab.nodes()) {
            String mode = mode(node).orElse(null);
            if (mode == null) return Optional.of("the ZooKeeper on " + node.name() + " does not serve yet (no leader or follower mode)");
            if (mode.equals("leader")) leaders++;
        }
        if (leaders != 1) return Optional.of("the ensemble has " + leaders + " leaders, not one");
        return Optional.empty();
    }

    /** "leader", "follower" (or "standalone"), as the server's {@code srvr} says; empty while it does not serve. */
    static Optional<String> mode(LabNode node) {
        return FourLetterWord.ask(node.address(), CLIENT_PORT, "srvr").flatMap(reply -> reply.lines()
                .filter(l -> l.startsWith("Mode: ")).map(l -> l.substring("Mode: ".length()).trim()).findFirst());
    }

    @Override
    public Map<String, String> urls(LabState lab) {
        return Map.of(NAME, connectString(lab));
    }

    private static String connectString(LabState lab) {
        return lab.nodes().stream().map(n -> n.address() + ":" + CLIENT_PORT).collect(Collectors.joining(","));
    }

    /** The zookeeper store provider as it is, with the ensemble's connect string: leases only. */
    @Override
    public LabRunStore runStore(LabState lab) {
        return new LabRunStore("zookeeper", Map.of("zookeeper-url", connectString(lab)));
    }

    @Override
    public List<LabFaultModel> measured() {
        String setting = "three servers, leases for cells on a --with postgres node (the holder's host cut off)";
        return List.of(
                new LabFaultModel(setting, StrategyId.LOCK, LabFaultModel.Outcome.LOST, LabFaultModel.Outcome.NOT_MEASURED,
                        "LabPartitionHolderTest: the cut off holder wrote after its lease passed on"),
                new LabFaultModel(setting, StrategyId.LOCK_FENCED, LabFaultModel.Outcome.KEPT, LabFaultModel.Outcome.NOT_MEASURED,
                        "LabPartitionHolderTest: the fence refused the stale write"));
    }

    @Override
    public boolean holdsCells() {
        return false;
    }
}
