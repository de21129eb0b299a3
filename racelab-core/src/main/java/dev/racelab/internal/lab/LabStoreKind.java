package dev.racelab.internal.lab;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One kind of replicated store a lab can run: which programs it needs, how its servers start, when it is ready, its URLs. */
interface LabStoreKind {
    /** Starts servers in the lab's nodes, recording each, and waits for them. */
    interface Starter {
        /** Starts one server in a node's namespace and records it in the lab's state before returning it. */
        LabServer start(String role, LabNode node, Path executable, List<String> args, Path dataDir, int port);

        /** Waits, within the lab's bound for getting ready, until {@code notYet} answers empty; fails if a started server stops. */
        void await(java.util.function.Supplier<Optional<String>> notYet);

        /**
         * Starts one server as {@code user} (setpriv, which execs: the pid recorded stays the
         * server's), for a server that refuses root; {@code program} is what /proc shows it run
         * (an interpreter, for a script: its path comes first in {@code args}).
         */
        LabServer startAs(String user, String role, LabNode node, Path program, List<String> args, Path dataDir, int port);

        /**
         * The same, with {@code launcher} between {@code setsid} and the program: commands that
         * each replace themselves with the next (setpriv, unshare, {@code sh -c '... exec "$@"'}),
         * so the pid recorded is still the server's own.
         */
        LabServer startAs(List<String> launcher, String role, LabNode node, Path executable, List<String> args, Path dataDir, int port);
    }

    String name();

    String description();

    /** The programs its servers run, beside what every lab needs. */
    List<Preflight.Needed> needs();

    int minNodes();

    /** The options with their defaults filled in; an unknown key or bad value is a UsageException naming it. */
    Map<String, String> options(Map<String, String> given);

    void start(LabState lab, Path dataRoot, Starter starter);

    /** Empty when every server answers as a whole cluster; otherwise what is still missing, in words. */
    Optional<String> notReady(LabState lab);

    /** What a client uses to reach the store, by store kind. */
    Map<String, String> urls(LabState lab);

    /** The store provider a run opens the lab's store with, and its settings. */
    LabRunStore runStore(LabState lab);

    /** What its lab tests showed under a partition and a failover, per setting; empty until a test shows one. */
    default List<LabFaultModel> measured() {
        return List.of();
    }

    /**
     * How the kind elects its primary, for the faults that aim at the primary; empty for a kind
     * whose nodes are all equal (a multi-primary cluster, an ensemble that runs its own election).
     */
    default Optional<Election> election() {
        return Optional.empty();
    }

    /** Which node is primary as the kind's electors (Sentinels, the DCS) see it, and when the cluster has settled after a fault. */
    interface Election {
        /** What elects the primary, as an output line names it ("Sentinel", "Patroni"). */
        String electors();

        /** The node that the elector on {@code elector} names as primary; empty when it does not answer or names none. */
        Optional<String> primaryNamedBy(LabState lab, LabNode elector);

        /** Whether the node's server acts as the primary now (it takes writes). */
        boolean actsAsPrimary(LabState lab, LabNode node);

        /** Whether the node's server follows a primary as a replica, or does not answer at all. */
        boolean replicatesOrSilent(LabState lab, LabNode node);
    }

    /** The command that starts {@code server} again after a fault stopped it: by default the one it was started with. */
    default List<String> restartCommand(LabServer server) {
        return server.command();
    }

    /** Empty once the node's servers, started again, are back in the cluster; by default once each answers on its port. */
    default Optional<String> notRejoined(LabState lab, LabNode node) {
        for (LabServer s : lab.servers()) {
            if (!s.node().equals(node.name())) continue;
            try (java.net.Socket socket = new java.net.Socket()) {
                socket.connect(new java.net.InetSocketAddress(s.address(), s.port()), 1000);
            } catch (java.io.IOException e) {
                return Optional.of("the " + s.role() + " on " + node.name() + " does not answer on " + s.address() + ":" + s.port());
            }
        }
        return Optional.empty();
    }

    /**
     * For a kind whose servers no supervisor of its own starts again (Galera, unlike Patroni):
     * which of a node's recorded servers are its store server. kill-primary kills those by their
     * recorded pids and, at the fault's end, starts them again with {@link #restartCommand} and waits
     * for {@link #notRejoined}. Empty for a kind that has none.
     */
    default Optional<java.util.function.Predicate<LabServer>> recordedStoreServers() {
        return Optional.empty();
    }

    /** How a kill -9 of the primary's server acts on this kind; empty for a kind that has none yet. */
    default Optional<ServerKill> serverKill() {
        return Optional.empty();
    }

    /** Which processes are a node's store server now, and when a killed one is back. */
    interface ServerKill {
        /** What is killed, in words ("postgres"). */
        String serverName();

        /**
         * The node's store server processes as they run now, each checked to be that server (its
         * executable and where it keeps its data), its main process first; empty when none runs.
         */
        List<ProcessIdentity> serverProcesses(LabState lab, LabNode node);

        /** Empty once the node's server runs again and follows the primary (or is the primary); otherwise what is missing. */
        Optional<String> notBack(LabState lab, LabNode node);
    }

    /** Whether the store keeps cells (a run's {@code --store}); false for a store that only grants leases. */
    default boolean holdsCells() {
        return true;
    }

    /** The most nodes it runs on (one PostgreSQL server is one node). */
    default int maxNodes() {
        return Labs.MAX_NODES;
    }
}
