package dev.racelab.internal.lab;

import dev.racelab.core.UsageException;
import dev.racelab.internal.vocab.StrategyId;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * An etcd 3.4 ensemble (Debian's {@code etcd-server}): one member on every node, on the node's
 * address and its loopback, client port 2379, peer port 2380. {@code --pre-vote}: without it a
 * member cut off raises the Raft term while alone and forces an election when it rejoins.
 * The Patroni lab starts its DCS with {@link #startMembers} too.
 */
final class EtcdLab implements LabStoreKind {
    static final String NAME = "etcd";
    static final int CLIENT_PORT = 2379;
    static final int PEER_PORT = 2380;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "an etcd 3.4 ensemble: a member on every node (a lease store; it keeps no cells)";
    }

    @Override
    public List<Preflight.Needed> needs() {
        return NEEDS;
    }

    static final List<Preflight.Needed> NEEDS = List.of(new Preflight.Needed("etcd", "etcd-server"));

    @Override
    public int minNodes() {
        return 3;
    }

    @Override
    public Map<String, String> options(Map<String, String> given) {
        if (!given.isEmpty()) throw new UsageException("etcd has no lab options; given: " + String.join(", ", given.keySet()));
        return Map.of();
    }

    @Override
    public void start(LabState lab, Path dataRoot, Starter starter) {
        startMembers(lab, dataRoot, starter);
    }

    /** Starts a member on every node, all at once (each waits for the others to form the cluster). */
    static void startMembers(LabState lab, Path dataRoot, Starter starter) {
        Path etcd = Preflight.find("etcd").orElseThrow(() -> new LabException("etcd is missing (apt-get install -y etcd-server)"));
        String cluster = lab.nodes().stream().map(n -> n.name() + "=" + peerUrl(n)).collect(Collectors.joining(","));
        for (LabNode node : lab.nodes()) {
            Path dir = dataRoot.resolve(node.name() + "-etcd");
            try {
                LabDirectory.createPrivate(dir);
            } catch (IOException e) {
                throw new LabException("cannot make " + dir + ": " + e.getMessage(), e);
            }
            starter.start("etcd", node, etcd, List.of(
                    "--name", node.name(),
                    "--data-dir", dir.resolve("member-data").toString(),
                    "--listen-client-urls", clientUrl(node) + ",http://127.0.0.1:" + CLIENT_PORT,
                    "--advertise-client-urls", clientUrl(node),
                    "--listen-peer-urls", peerUrl(node),
                    "--initial-advertise-peer-urls", peerUrl(node),
                    "--initial-cluster", cluster,
                    "--initial-cluster-token", "racelab-" + lab.name(),
                    "--initial-cluster-state", "new",
                    "--pre-vote"), dir, CLIENT_PORT);
        }
    }

    private static String clientUrl(LabNode node) {
        return "http://" + node.address() + ":" + CLIENT_PORT;
    }

    private static String peerUrl(LabNode node) {
        return "http://" + node.address() + ":" + PEER_PORT;
    }

    /** Empty once every member answers healthy (it has a leader and serves reads); otherwise which one does not yet. */
    static Optional<String> unhealthy(LabState lab) {
        for (LabNode node : lab.nodes()) {
            boolean healthy = HttpProbe.json(node.address(), CLIENT_PORT, "/health")
                    .map(h -> h.path("health").asText().equals("true")).orElse(false);
            if (!healthy) return Optional.of("the etcd member on " + node.name() + " is not healthy yet");
        }
        return Optional.empty();
    }

    @Override
    public Optional<String> notReady(LabState lab) {
        return unhealthy(lab);
    }

    /** The members' client URLs, comma separated. */
    static String endpoints(LabState lab) {
        return lab.nodes().stream().map(EtcdLab::clientUrl).collect(Collectors.joining(","));
    }

    @Override
    public Map<String, String> urls(LabState lab) {
        return Map.of(NAME, endpoints(lab));
    }

    /**
     * The etcd lease store at every member. Its leases are capped at 2 s, as the ZooKeeper
     * ensemble's sessions are: a lease must run out within a cut of a few seconds for the cut to
     * show anything, and the run's default --lease-ttl is 10 s.
     */
    @Override
    public LabRunStore runStore(LabState lab) {
        return new LabRunStore("etcd", Map.of("etcd-url", endpoints(lab), "etcd-max-lease-ttl-ms", "2000"));
    }

    @Override
    public List<LabFaultModel> measured() {
        String setting = "three members, leases for cells on a --with postgres node (the holder's host cut off)";
        return List.of(
                new LabFaultModel(setting, StrategyId.LOCK, LabFaultModel.Outcome.LOST, LabFaultModel.Outcome.NOT_MEASURED,
                        "docs/LAB.md: 3,072 increments lost to cut off holders' stale writes"),
                new LabFaultModel(setting, StrategyId.LOCK_FENCED, LabFaultModel.Outcome.KEPT, LabFaultModel.Outcome.NOT_MEASURED,
                        "docs/LAB.md: 14 stale writes refused by the fence, 0 lost"));
    }

    /** An etcd ensemble here grants leases; it keeps no cells. */
    @Override
    public boolean holdsCells() {
        return false;
    }
}
