package dev.racelab.internal.cli;

import dev.racelab.internal.lab.LabTopology;
import dev.racelab.internal.run.ClientHosts;
import dev.racelab.internal.run.ReplicatedCluster;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** A lab's topology as a run sees it: the run knows nothing of labs, the lab nothing of runs, and this joins them. */
final class LabCluster implements ReplicatedCluster {
    private final LabTopology topology;
    /** The store the run takes its leases from (--lease-store), or null. */
    private final String leaseStore;

    LabCluster(LabTopology topology) {
        this(topology, null);
    }

    LabCluster(LabTopology topology, String leaseStore) {
        this.topology = topology;
        this.leaseStore = leaseStore;
    }

    /** The lab hosts named by --client-hosts, each refused in one line when the lab has no such node. */
    static ClientHosts clientHosts(LabTopology topology, List<String> names) {
        names.forEach(topology::requireNode);
        return new ClientHosts(names.stream().map(n -> new ClientHosts.Host(n, topology.onNode(n))).toList());
    }

    @Override
    public String electors() {
        return topology.electors();
    }

    @Override
    public Optional<String> primary() {
        return topology.primary();
    }

    @Override
    public Optional<String> primaryAsSeenFrom(Collection<String> nodes) {
        return topology.primaryAsSeenFrom(nodes);
    }

    @Override
    public Partition cutOff(Collection<String> side, String name) {
        return partition(topology.cutOff(side, name));
    }

    @Override
    public Partition cutOff(Collection<String> side, Collection<String> from, String name) {
        return partition(topology.cutOff(side, from, name));
    }

    private static Partition partition(LabTopology.Cut cut) {
        return new Partition() {
            @Override
            public List<String> side() {
                return cut.side();
            }

            @Override
            public List<String> others() {
                return cut.others();
            }

            @Override
            public void heal() {
                cut.heal();
            }
        };
    }

    @Override
    public Partition isolateHost(String address, String name) {
        return partition(topology.isolateHost(address, name));
    }

    @Override
    public Optional<String> unsettled(String oldPrimary) {
        return topology.unsettled(oldPrimary);
    }

    @Override
    public List<String> nodes() {
        return topology.nodes();
    }

    @Override
    public Runnable pauseNode(String node) {
        return topology.pauseNode(node);
    }

    @Override
    public Runnable stopNode(String node) {
        return topology.stopNode(node);
    }

    @Override
    public String serversOn(String node) {
        return topology.serversDescribed(node);
    }

    @Override
    public Optional<KilledServer> killServer(String node) {
        if (!topology.canKillServer()) return Optional.empty();
        LabTopology.KilledServer killed = topology.killServer(node);
        List<Long> children = killed.pids().subList(1, killed.pids().size());
        String describe = killed.server() + " (pid " + killed.pids().getFirst()
                + (children.isEmpty() ? "" : ", then " + children.size() + " of its children still running") + ")";
        return Optional.of(new KilledServer() {
            @Override
            public String server() {
                return killed.server();
            }

            @Override
            public String describe() {
                return describe;
            }

            @Override
            public Optional<String> notBack() {
                return topology.serverNotBack(node);
            }

            @Override
            public void startAgain() {
                killed.startAgain().run();
            }
        });
    }

    @Override
    public boolean electsPrimary() {
        return topology.hasElectedPrimary();
    }

    @Override
    public List<String> leaseNodes() {
        return leaseStore == null ? List.of() : topology.nodesServing(leaseStore);
    }
}
