package dev.racelab.internal.lab;

import dev.racelab.core.UsageException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A ready lab as a run sees it: its nodes, the command that runs a program on one of them, which
 * node is primary now (asked of the Sentinels, from the root namespace), and partitions made of
 * nftables tables inside the nodes' namespaces. Every table is recorded in the lab's state before
 * it is made, so {@code racelab lab down} removes it even after racelab itself was killed.
 */
public final class LabTopology {
    private final LabState lab;
    private final LabDirectory directory;

    LabTopology(LabState lab, LabDirectory directory) {
        this.lab = lab;
        this.directory = directory;
    }

    public String labName() {
        return lab.name();
    }

    /** The nodes' names, n1 first. */
    public List<String> nodes() {
        return lab.nodes().stream().map(LabNode::name).toList();
    }

    /** The command prefix that runs a program inside the node's namespace, keeping its pid ({@code ip netns exec} execs it). */
    public List<String> onNode(String node) {
        return List.of("ip", "netns", "exec", lab.node(node).namespace());
    }

    /** Refuses, as a usage error, a node the lab does not have. */
    public void requireNode(String node) {
        if (!nodes().contains(node)) {
            throw new UsageException("lab " + lab.name() + " has no node '" + node + "'; it has: " + String.join(", ", nodes()));
        }
    }

    /** Whether the lab's store elects a primary (what the faults aimed at the primary need). */
    public boolean hasElectedPrimary() {
        return kind().election().isPresent();
    }

    /** What elects the primary, as an output line names it ("Sentinel"). */
    public String electors() {
        return election().electors();
    }

    private LabStoreKind kind() {
        return LabStoreKinds.named(lab.store());
    }

    private LabStoreKind.Election election() {
        return kind().election().orElseThrow(() -> new LabException("a " + lab.store() + " lab elects no primary"));
    }

    /** The servers racelab started on {@code node}, as the lab's state records them (for faults that signal them by pid). */
    public List<LabServer> serversOn(String node) {
        requireNode(node);
        LabState now = directory.read(lab.name()).orElse(lab);
        return now.servers().stream().filter(s -> s.node().equals(node)).toList();
    }

    /** The lab as its store kind sees it: the store's own nodes, without a {@code --with} store's or the plain hosts. */
    private LabState own() {
        return lab.viewFor(lab.store());
    }

    /** The primary a majority of all the store's electors name now; empty when no majority agrees. */
    public Optional<String> primary() {
        List<String> electors = own().nodes().stream().map(LabNode::name).toList();
        int majority = electors.size() / 2 + 1;
        return votes(electors).entrySet().stream().filter(e -> e.getValue() >= majority).map(Map.Entry::getKey).findFirst();
    }

    /** The primary the answering electors on these nodes name, when at least one answers and all that answer agree. */
    public Optional<String> primaryAsSeenFrom(Collection<String> sentinelNodes) {
        Map<String, Integer> votes = votes(sentinelNodes);
        return votes.size() == 1 ? Optional.of(votes.keySet().iterator().next()) : Optional.empty();
    }

    /** How many of these nodes' electors name each node as the primary (a node the store does not run on has none). */
    private Map<String, Integer> votes(Collection<String> electorNodes) {
        LabStoreKind.Election election = election();
        LabState own = own();
        Map<String, Integer> votes = new HashMap<>();
        for (LabNode elector : own.nodes()) {
            if (!electorNodes.contains(elector.name())) continue;
            election.primaryNamedBy(own, elector).ifPresent(n -> votes.merge(n, 1, Integer::sum));
        }
        return votes;
    }

    /**
     * Empty once the cluster has settled after a partition: a majority of electors names one
     * primary, that node says it is a primary, and {@code oldPrimary} (when it is another node)
     * streams from it as a replica or does not answer; otherwise what is still missing, in words.
     */
    public Optional<String> unsettled(String oldPrimary) {
        Optional<String> primary = primary();
        if (primary.isEmpty()) return Optional.of("the electors do not agree on a primary yet");
        LabState own = own();
        if (!election().actsAsPrimary(own, own.node(primary.get()))) return Optional.of(primary.get() + " does not act as the primary yet");
        if (oldPrimary != null && !oldPrimary.equals(primary.get()) && !election().replicatesOrSilent(own, own.node(oldPrimary))) {
            return Optional.of("the old primary " + oldPrimary + " has not rejoined as a replica of " + primary.get() + " yet");
        }
        return Optional.empty();
    }

    /** A partition made by {@link #cutOff}; {@link #heal} removes its tables. */
    public final class Cut {
        private final List<NftTable> tables;
        private final List<String> side;
        private final List<String> others;

        private Cut(List<NftTable> tables, List<String> side, List<String> others) {
            this.tables = List.copyOf(tables);
            this.side = List.copyOf(side);
            this.others = List.copyOf(others);
        }

        /** The cut off side's nodes. */
        public List<String> side() {
            return side;
        }

        /** The nodes on the other side. */
        public List<String> others() {
            return others;
        }

        /** Deletes the tables (every one, even when one fails) and takes them off the lab's state. */
        public void heal() {
            List<String> failures = new ArrayList<>();
            for (NftTable t : tables) {
                HostCommands.Result r = HostCommands.run(List.of("ip", "netns", "exec", t.namespace(), "nft", "delete", "table", t.family(),
                        t.name()));
                if (!r.ok()) failures.add(t.namespace() + ": " + r.output());
            }
            if (!failures.isEmpty()) throw new LabException("could not delete the partition's nftables tables: " + String.join("; ", failures));
            updateTables(tables, false);
        }
    }

    /**
     * Cuts {@code side} off from every other node: inside each of the side's namespaces, a table
     * {@code tableName} whose input and output chains drop traffic from and to the other nodes'
     * addresses. The bridge (the root namespace, where the coordinator and the probes are) stays
     * reachable. Never touches the root namespace's firewall.
     */
    public Cut cutOff(Collection<String> side, String tableName) {
        return cutOff(side, nodes(), tableName);
    }

    /**
     * Cuts {@code side} off from the nodes of {@code from} that are not on it, and from no other
     * (a client host cut off from the lease store's nodes keeps its cell store's node), the same way.
     */
    public Cut cutOff(Collection<String> side, Collection<String> from, String tableName) {
        Set<String> cut = new LinkedHashSet<>(side);
        cut.forEach(this::requireNode);
        from.forEach(this::requireNode);
        List<LabNode> others = lab.nodes().stream().filter(n -> from.contains(n.name()) && !cut.contains(n.name())).toList();
        if (others.isEmpty()) throw new LabException("nothing is left on the other side of a cut of " + String.join(", ", cut));
        String addresses = String.join(", ", others.stream().map(LabNode::address).toList());
        List<NftTable> tables = cut.stream().map(n -> new NftTable(lab.node(n).namespace(), "inet", tableName)).toList();
        updateTables(tables, true); // recorded before it is made: down removes it whatever happens next
        for (NftTable t : tables) {
            // one nft command line is one transaction: the table appears whole or not at all
            HostCommands.require("ip", "netns", "exec", t.namespace(), "nft", String.join("; ",
                    "add table inet " + tableName,
                    "add chain inet " + tableName + " input { type filter hook input priority 0; policy accept; }",
                    "add rule inet " + tableName + " input ip saddr { " + addresses + " } drop",
                    "add chain inet " + tableName + " output { type filter hook output priority 0; policy accept; }",
                    "add rule inet " + tableName + " output ip daddr { " + addresses + " } drop"));
        }
        return new Cut(tables, List.copyOf(cut), others.stream().map(LabNode::name).toList());
    }

    /**
     * Cuts the plain host at {@code address} (h1, ...) off from everything: the coordinator (the
     * bridge), the store's nodes and the other hosts. Inside its namespace, a table
     * {@code tableName} drops every packet but its loopback's, in and out; recorded in the lab's
     * state before it is made. TCP connections through it stall and resume at the heal.
     */
    public Cut isolateHost(String address, String tableName) {
        LabNode host = lab.hosts().stream().filter(h -> h.address().equals(address)).findFirst().orElseThrow(() -> new UsageException(
                "partition-host cuts a lab's plain host off; " + address + " is none of lab " + lab.name() + "'s (racelab lab status "
                        + lab.name() + " lists them)"));
        List<NftTable> tables = List.of(new NftTable(host.namespace(), "inet", tableName));
        updateTables(tables, true); // recorded before it is made: down and faults heal remove it whatever happens next
        HostCommands.require("ip", "netns", "exec", host.namespace(), "nft", String.join("; ",
                "add table inet " + tableName,
                "add chain inet " + tableName + " input { type filter hook input priority 0; policy accept; }",
                "add rule inet " + tableName + " input iifname != \"lo\" drop",
                "add chain inet " + tableName + " output { type filter hook output priority 0; policy accept; }",
                "add rule inet " + tableName + " output oifname != \"lo\" drop"));
        List<String> others = new ArrayList<>(List.of("the coordinator"));
        others.addAll(nodes());
        return new Cut(tables, List.of(host.name()), others);
    }

    /** The nftables tables racelab recorded in the lab's state (a partition's), deleted and taken off the state; how many were there. */
    public int healRecordedTables() {
        LabState now = directory.read(lab.name()).orElse(lab);
        List<NftTable> tables = now.nftTables();
        for (NftTable t : tables) HostCommands.run(List.of("ip", "netns", "exec", t.namespace(), "nft", "delete", "table", t.family(), t.name()));
        updateTables(tables, false);
        return tables.size();
    }

    private void updateTables(List<NftTable> tables, boolean add) {
        directory.locked(() -> {
            LabState now = directory.read(lab.name()).orElseThrow(() -> new LabException("lab " + lab.name() + " has no state any more"));
            List<NftTable> recorded = new ArrayList<>(now.nftTables());
            if (add) recorded.addAll(tables);
            else recorded.removeAll(tables);
            directory.write(now.withNftTables(recorded));
            return null;
        });
    }

    /** SIGSTOPs the servers racelab started on {@code node}, by their recorded pids; the answer continues them. */
    public Runnable pauseNode(String node) {
        requireNode(node);
        return new NodeControl(directory, lab.name()).pause(node);
    }

    /**
     * Stops the servers racelab started on {@code node}, by their recorded pids; the answer starts
     * them again as the lab started them (a Galera node joins, never bootstraps) and waits, at most
     * a minute, until the node has rejoined.
     */
    public Runnable stopNode(String node) {
        requireNode(node);
        return new NodeControl(directory, lab.name()).stop(node, kind());
    }

    /** The node's servers with their pids, as a fault names them ("joiner pid 4242"). */
    public String serversDescribed(String node) {
        requireNode(node);
        return new NodeControl(directory, lab.name()).describe(node);
    }

    /** Whether the lab's store kind can kill a node's store server (kill-primary). */
    public boolean canKillServer() {
        return kind().serverKill().isPresent() || kind().recordedStoreServers().isPresent();
    }

    /** A server killed by {@link #killServer}: its node, what it was, the pids signalled. */
    public record KilledServer(String node, String server, List<Long> pids, Runnable startAgain) {
        public KilledServer {
            pids = List.copyOf(pids);
        }
    }

    /**
     * kill -9 of the node's store server, as the kind names its processes now, each signalled
     * only while /proc still shows the process it checked (the same executable and start time):
     * the main process first (PostgreSQL's postmaster: its WAL senders exit at once, as PostgreSQL
     * makes them), then, in one command, those of its children still running, so that no orphan
     * keeps the dead server's shared memory and the server can start again at once.
     */
    public KilledServer killServer(String node) {
        requireNode(node);
        if (kind().serverKill().isEmpty() && kind().recordedStoreServers().isPresent()) {
            NodeControl.KilledRecorded killed = new NodeControl(directory, lab.name()).kill(node, kind(), kind().recordedStoreServers().get());
            LabServer main = killed.servers().getFirst();
            return new KilledServer(node, Path.of(main.executable()).getFileName().toString(),
                    killed.servers().stream().map(LabServer::pid).toList(), killed.startAgain());
        }
        LabStoreKind.ServerKill kill = kind().serverKill()
                .orElseThrow(() -> new LabException("a " + lab.store() + " lab cannot kill a node's server yet"));
        List<ProcessIdentity> processes = kill.serverProcesses(lab, lab.node(node));
        if (processes.isEmpty()) throw new LabException("no " + kill.serverName() + " runs on " + node + " now");
        ProcessIdentity main = processes.getFirst();
        if (!ProcessIdentity.stillRuns(main.pid(), main.executable(), main.startTime())) {
            throw new LabException("the " + kill.serverName() + " on " + node + " ended before it could be killed");
        }
        signal("KILL", List.of(Long.toString(main.pid())));
        List<String> children = new ArrayList<>();
        for (ProcessIdentity p : processes.subList(1, processes.size())) {
            if (ProcessIdentity.stillRuns(p.pid(), p.executable(), p.startTime())) children.add(Long.toString(p.pid()));
        }
        signal("KILL", children);
        List<Long> killed = new ArrayList<>(List.of(main.pid()));
        children.forEach(c -> killed.add(Long.parseLong(c)));
        return new KilledServer(node, kill.serverName(), killed, () -> { }); // its supervisor (Patroni) starts it again
    }

    /** kill -s SIGNAL with these pids, in one command: they are signalled together. */
    private static void signal(String signal, List<String> pids) {
        if (pids.isEmpty()) return;
        List<String> command = new ArrayList<>(List.of("kill", "-s", signal));
        command.addAll(pids);
        HostCommands.run(command); // a pid that ended meanwhile makes kill exit 1; the others were signalled
    }

    /** Empty once the node's killed server runs again and follows the primary (or is it); otherwise what is missing. */
    public Optional<String> serverNotBack(String node) {
        requireNode(node);
        if (kind().serverKill().isEmpty()) return kind().notRejoined(directory.read(lab.name()).orElse(lab), lab.node(node));
        return kind().serverKill().orElseThrow().notBack(lab, lab.node(node));
    }

    /** The nodes whose servers serve the store a run opens as {@code store} (a provider's name, e.g. zookeeper); empty when the lab runs none. */
    public List<String> nodesServing(String store) {
        List<String> serving = new ArrayList<>();
        if (kind().runStore(lab.viewFor(lab.store())).store().equals(store)) serving.addAll(lab.storeNodes());
        if (lab.with() != null && LabStoreKinds.named(lab.with().store()).runStore(lab.viewFor(lab.with().store())).store().equals(store)) {
            serving.addAll(lab.with().nodes());
        }
        return serving;
    }
}
