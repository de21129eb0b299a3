package dev.racelab.internal.run;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * A replicated store on hosts of its own (a lab), as the nemesis and the check see it: which node
 * is primary, partitions between its nodes, and whether it has settled after a fault.
 */
public interface ReplicatedCluster {
    /** What elects the primary, as an output line names it ("Sentinel", "Patroni"). */
    String electors();

    /** The primary a majority of the cluster's own electors (Sentinels) names now; empty when none does. */
    Optional<String> primary();

    /** The primary that the electors on these nodes name, when those that answer agree. */
    Optional<String> primaryAsSeenFrom(Collection<String> nodes);

    /** Cuts {@code side} off from every other node; {@code name} names the rules (after the run). */
    Partition cutOff(Collection<String> side, String name);

    /** Empty once one primary is agreed and acts as one, and {@code oldPrimary} rejoined as a replica (or is silent). */
    Optional<String> unsettled(String oldPrimary);

    /** A partition in place until {@link #heal}. */
    interface Partition {
        List<String> side();

        List<String> others();

        void heal();
    }

    /** Cuts the lab's plain host at {@code address} (where workers run over ssh) off from the coordinator and every node. */
    default Partition isolateHost(String address, String name) {
        throw new UnsupportedOperationException("this cluster has no plain hosts to cut off");
    }

    /** The cluster's nodes, n1 first. */
    List<String> nodes();

    /** SIGSTOPs the node's servers (by the pids the lab recorded); the answer continues them. */
    Runnable pauseNode(String node);

    /** Stops the node's servers by their pids; the answer starts them again as the lab did and waits until the node rejoined. */
    Runnable stopNode(String node);

    /** The node's servers with their pids ("joiner pid 4242"), for a fault's target. */
    String serversOn(String node);

    /**
     * kill -9 of the store server's processes on {@code node} (by the pids the lab knows, each
     * checked before it is signalled); empty when the cluster's store has no such fault.
     */
    default Optional<KilledServer> killServer(String node) {
        return Optional.empty();
    }

    /** A server killed by {@link #killServer}, until it is back. */
    interface KilledServer {
        /** Which server it was: "postgres". */
        String server();

        /** "postgres (pid 123, then 9 of its children still running)". */
        String describe();

        /** Empty once the server runs again and follows the primary (or is it); otherwise what is missing. */
        Optional<String> notBack();

        /** Starts it again where no supervisor of the store's own does (Galera); nothing where one does (Patroni). */
        default void startAgain() {
        }
    }

    /** Whether the cluster elects a primary (what the settling before the check waits for); an ensemble that only grants leases does not. */
    default boolean electsPrimary() {
        return true;
    }

    /** The nodes of the lab's lease store, the one the run takes its leases from (partition-holder); empty when the lab runs none. */
    default List<String> leaseNodes() {
        return List.of();
    }

    /** Cuts {@code side} off from the nodes of {@code from} only; {@code name} names the rules (after the run). */
    default Partition cutOff(Collection<String> side, Collection<String> from, String name) {
        throw new UnsupportedOperationException("this cluster cuts a side off from every other node only");
    }
}
