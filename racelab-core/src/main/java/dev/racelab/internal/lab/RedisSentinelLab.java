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
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Redis with Sentinel, as production runs it: the primary on n1, a replica on every other node,
 * and a Sentinel on every node (quorum: a majority), each server on its node's address and the
 * node's own loopback, port 6379 and 26379. The Sentinels fail over after 2 s without an answer.
 * Sentinel is {@code redis-server --sentinel}: the same program the {@code redis-sentinel} package links.
 */
final class RedisSentinelLab implements LabStoreKind {
    static final String NAME = "redis-sentinel";
    static final String MASTER_NAME = "racelab";
    static final int REDIS_PORT = 6379;
    static final int SENTINEL_PORT = 26379;
    private static final Set<String> APPENDFSYNC = Set.of("always", "everysec", "no");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "a Redis primary on n1, a replica on each other node, a Sentinel on every node";
    }

    @Override
    public List<Preflight.Needed> needs() {
        return List.of(new Preflight.Needed("redis-server", "redis-server"));
    }

    @Override
    public int minNodes() {
        return 3;
    }

    @Override
    public Map<String, String> options(Map<String, String> given) {
        Map<String, String> options = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : given.entrySet()) {
            String key = e.getKey();
            String value = e.getValue();
            switch (key) {
                case "min-replicas-to-write" -> requireCount(key, value, 0);
                case "min-replicas-max-lag" -> requireCount(key, value, 1);
                case "appendfsync" -> {
                    if (!APPENDFSYNC.contains(value)) {
                        throw new UsageException("lab option appendfsync is always, everysec or no, not '" + value + "'");
                    }
                }
                default -> throw new UsageException("redis-sentinel has no lab option '" + key
                        + "'; it has: min-replicas-to-write, min-replicas-max-lag, appendfsync");
            }
            options.put(key, value);
        }
        return options;
    }

    private static void requireCount(String key, String value, int min) {
        try {
            if (Integer.parseInt(value) >= min) return;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("lab option " + key + " is a whole number from " + min + ", not '" + value + "'");
    }

    @Override
    public void start(LabState lab, Path dataRoot, Starter starter) {
        Path redis = Preflight.find("redis-server").orElseThrow(() -> new LabException("redis-server is missing"));
        LabNode primary = lab.nodes().getFirst();
        for (LabNode node : lab.nodes()) {
            Path dir = dataRoot.resolve(node.name() + "-redis");
            Path conf = write(dir, "redis.conf", redisConf(lab, node, primary, dir));
            starter.start(node == primary ? "primary" : "replica", node, redis, List.of(conf.toString()), dir, REDIS_PORT);
        }
        // A Sentinel learns the replicas from the primary's INFO, asked every 10 s: started before
        // they are attached, it would wait up to 10 s for the next one.
        starter.await(() -> replicasMissing(lab));
        int quorum = lab.nodes().size() / 2 + 1;
        for (LabNode node : lab.nodes()) {
            Path dir = dataRoot.resolve(node.name() + "-sentinel");
            Path conf = write(dir, "sentinel.conf", sentinelConf(node, primary, quorum, dir));
            starter.start("sentinel", node, redis, List.of(conf.toString(), "--sentinel"), dir, SENTINEL_PORT);
        }
    }

    private static String redisConf(LabState lab, LabNode node, LabNode primary, Path dir) {
        List<String> lines = new ArrayList<>(List.of(
                "bind " + node.address() + " 127.0.0.1", "port " + REDIS_PORT, "protected-mode no", "daemonize no",
                "dir " + dir, "logfile \"\"", "save \"\"",
                // a replica that rejoins resyncs at once: a delay of 5 s would only lengthen every heal
                "repl-diskless-sync-delay 0"));
        String fsync = lab.options().get("appendfsync");
        lines.add("appendonly " + (fsync == null ? "no" : "yes"));
        if (fsync != null) lines.add("appendfsync " + fsync);
        for (String key : List.of("min-replicas-to-write", "min-replicas-max-lag")) {
            if (lab.options().containsKey(key)) lines.add(key + " " + lab.options().get(key));
        }
        if (node != primary) lines.add("replicaof " + primary.address() + " " + REDIS_PORT);
        return String.join("\n", lines) + "\n";
    }

    private static String sentinelConf(LabNode node, LabNode primary, int quorum, Path dir) {
        return String.join("\n",
                "bind " + node.address() + " 127.0.0.1", "port " + SENTINEL_PORT, "protected-mode no", "daemonize no",
                "dir " + dir, "logfile \"\"",
                "sentinel monitor " + MASTER_NAME + " " + primary.address() + " " + REDIS_PORT + " " + quorum,
                "sentinel down-after-milliseconds " + MASTER_NAME + " 2000",
                "sentinel failover-timeout " + MASTER_NAME + " 6000",
                "sentinel parallel-syncs " + MASTER_NAME + " 1") + "\n";
    }

    private static Path write(Path dir, String file, String text) {
        try {
            LabDirectory.createPrivate(dir);
            return Files.writeString(dir.resolve(file), text);
        } catch (IOException e) {
            throw new LabException("cannot write " + dir.resolve(file) + ": " + e.getMessage(), e);
        }
    }

    /** Ready: the primary streams to every replica, and every Sentinel knows the primary, every replica and every other Sentinel. */
    @Override
    public Optional<String> notReady(LabState lab) {
        Optional<String> replicasMissing = replicasMissing(lab);
        if (replicasMissing.isPresent()) return replicasMissing;
        int replicas = lab.nodes().size() - 1;
        LabNode primary = lab.nodes().getFirst();
        for (LabNode node : lab.nodes()) {
            String info = RespProbe.text(node.address(), SENTINEL_PORT, "INFO", "sentinel").orElse("");
            String expected = "name=" + MASTER_NAME + ",status=ok,address=" + primary.address() + ":" + REDIS_PORT
                    + ",slaves=" + replicas + ",sentinels=" + lab.nodes().size();
            if (!info.contains(expected)) {
                return Optional.of("the Sentinel on " + node.name() + " does not yet know the primary, " + replicas
                        + " replicas and " + (lab.nodes().size() - 1) + " other Sentinels");
            }
        }
        return Optional.empty();
    }

    private static Optional<String> replicasMissing(LabState lab) {
        int replicas = lab.nodes().size() - 1;
        LabNode primary = lab.nodes().getFirst();
        String replication = RespProbe.text(primary.address(), REDIS_PORT, "INFO", "replication").orElse("");
        long online = replication.lines().filter(l -> l.startsWith("slave") && l.contains("state=online")).count();
        if (online < replicas) return Optional.of("the primary on " + primary.name() + " has " + online + " of " + replicas + " replicas online");
        return Optional.empty();
    }

    @Override
    public List<LabFaultModel> measured() {
        return List.of(
                new LabFaultModel("asynchronous replication (the default)", StrategyId.ATOMIC, LabFaultModel.Outcome.LOST, LabFaultModel.Outcome.LOST,
                        "LabPartitionTest: the cut off primary acknowledged increments that the promoted replica never had"),
                new LabFaultModel("min-replicas-to-write=1, min-replicas-max-lag=2", StrategyId.ATOMIC, LabFaultModel.Outcome.LOST,
                        LabFaultModel.Outcome.LOST, "docs/LAB.md: the primary acknowledged writes until the lag passed 2 s"));
    }

    /** The Sentinels elect the primary; each names it by address. */
    @Override
    public Optional<Election> election() {
        return Optional.of(new Election() {
            @Override
            public String electors() {
                return "Sentinel";
            }

            @Override
            public Optional<String> primaryNamedBy(LabState lab, LabNode elector) {
                return RespProbe.list(elector.address(), SENTINEL_PORT, "SENTINEL", "get-master-addr-by-name", MASTER_NAME)
                        .filter(reply -> reply.size() == 2)
                        .flatMap(reply -> lab.nodes().stream().filter(n -> n.address().equals(reply.get(0))).map(LabNode::name).findFirst());
            }

            @Override
            public boolean actsAsPrimary(LabState lab, LabNode node) {
                return RespProbe.text(node.address(), REDIS_PORT, "INFO", "replication").orElse("").contains("role:master");
            }

            @Override
            public boolean replicatesOrSilent(LabState lab, LabNode node) {
                Optional<String> info = RespProbe.text(node.address(), REDIS_PORT, "INFO", "replication");
                return info.isEmpty() || info.get().contains("role:slave") && info.get().contains("master_link_status:up");
            }
        });
    }

    @Override
    public Map<String, String> urls(LabState lab) {
        String sentinels = lab.nodes().stream().map(n -> n.address() + ":" + SENTINEL_PORT).collect(Collectors.joining(","));
        return Map.of(name(), "redis-sentinel://" + sentinels + "?sentinelMasterId=" + MASTER_NAME);
    }

    /**
     * The redis store as it is: Lettuce takes the Sentinel URI as a Redis URL, asks the Sentinels
     * for the primary at each connect, and so follows a failover at the next connection.
     */
    @Override
    public LabRunStore runStore(LabState lab) {
        return new LabRunStore("redis", Map.of("redis-url", urls(lab).get(name())));
    }
}
