package dev.racelab.internal.vocab;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.racelab.core.InvalidFieldException;
import java.util.Arrays;
import java.util.Optional;

/**
 * A kind of fault in a run's record: the ones the nemesis injects ({@code --nemesis}), and the
 * failover it sees the store's electors make. Every layer names a fault by this type: the
 * nemesis that injects it, the explanation that names it as a cause, the report's timeline.
 */
public enum FaultKind {
    /**
     * SIGKILL of a worker at the moment the store has applied one of its operations and the
     * client has not yet recorded the answer (the worker says "holding" there first), then a
     * replacement that runs the dead worker's remaining operations.
     */
    KILL_WORKER("kill-worker", Where.LOCAL),
    /**
     * SIGSTOP of a worker at the moment one of its operations holds a lease, between its read
     * and its write (the worker says "holding" there first), for {@code --nemesis-for}, then
     * SIGCONT, and the operation goes on to its write. Longer than the lease's TTL, the lease
     * has passed to another holder by then. With a strategy that takes no leases, the worker is
     * paused wherever it is, and recorded as holding none.
     */
    PAUSE_HOLDER("pause-holder", Where.LOCAL),
    /**
     * Stops the cell store's server and starts it again: a server racelab started itself, or
     * this machine's loopback server that bin/start-services starts, by the same commands.
     */
    RESTART_STORE("restart-store", Where.LOCAL),
    /**
     * SIGSTOPs every process of the cell store's server for {@code --nemesis-for}, then
     * SIGCONT: the clients' requests hang, none is refused.
     */
    PAUSE_STORE("pause-store", Where.LOCAL),
    /**
     * SIGSTOPs the lease store's server at a moment a worker holds a lease between its read
     * and its write, sends that worker on to its write, and continues the server after
     * {@code --nemesis-for}: no lease can be renewed, granted or released meanwhile.
     */
    PAUSE_LEASE_STORE("pause-lease-store", Where.LOCAL),
    /**
     * Stops the lease store's server at a moment a worker holds a lease between its read and
     * its write, sends that worker on to its write, and starts the server again.
     */
    RESTART_LEASE_STORE("restart-lease-store", Where.LOCAL),
    /**
     * In a lab: asks the Sentinels which node is primary, then cuts that node, with the run's
     * client hosts, off from every other node (nftables tables inside the cut side's network
     * namespaces, named after the run) for {@code --nemesis-for}, watching the other side's
     * Sentinels for a promotion, then deletes the tables. The promotion is recorded as a
     * fault of kind {@link #FAILOVER}.
     */
    PARTITION_PRIMARY("partition-primary", Where.LAB),
    /** In a lab: the nodes, shuffled by the run's seed, split into two halves (the smaller cut off) for {@code --nemesis-for}. */
    PARTITION_HALVES("partition-halves", Where.LAB),
    /** In a lab: one node, picked by the run's seed, cut off from every other for {@code --nemesis-for}. */
    PARTITION_ONE("partition-one", Where.LAB),
    /** In a lab: SIGSTOP of one node's servers (by their recorded pids) for {@code --nemesis-for}, then SIGCONT. */
    PAUSE_NODE("pause-node", Where.LAB),
    /** In a lab: one node's servers stopped by their pids for {@code --nemesis-for}, then started as the lab started them, until it rejoined. */
    RESTART_NODE("restart-node", Where.LAB),
    /**
     * In a lab: kill -9 of the primary's store server (for Patroni, the PostgreSQL whose
     * postmaster.pid names it, and its children), by pid, watching the electors for a
     * promotion for {@code --nemesis-for}, then waiting until the killed server runs again
     * and follows the new primary.
     */
    KILL_PRIMARY("kill-primary", Where.LAB),
    /**
     * In a lab: at a moment a worker holds a lease between its read and its write, cuts that
     * worker's lab host (its --client-hosts node) off from the lease store's other nodes, not
     * from the cell store's, for {@code --nemesis-for}, keeping the holder at its hold, then
     * sends it on to its write and heals. The lease expires on the majority's side meanwhile.
     */
    PARTITION_HOLDER("partition-holder", Where.LAB),
    /**
     * In a lab, with workers on its plain hosts over ssh ({@code --hosts}): one of those hosts, picked by the run's seed,
     * cut off from the coordinator and every node (nftables inside its namespace) for {@code --nemesis-for}. Its workers
     * go on recording to their journals on the host, which are read once it is reachable again.
     */
    PARTITION_HOST("partition-host", Where.LAB),
    /**
     * Not injected but seen: a new primary the cluster's electors promoted during a partition or
     * a kill of the primary; recorded with the promoted node, from when it was first seen.
     */
    FAILOVER("failover", Where.SEEN);

    /** Where a fault acts: on this machine's processes, on a lab's nodes, or nowhere (the nemesis only saw it happen). */
    private enum Where { LOCAL, LAB, SEEN }

    private final String flagName;
    private final Where where;

    FaultKind(String flagName, Where where) {
        this.flagName = flagName;
        this.where = where;
    }

    /** The name users give {@code --nemesis} and read in results. */
    @JsonValue
    public String flagName() {
        return flagName;
    }

    /**
     * Whether it acts on a lab's nodes (it needs {@code --lab}). Once injected, such a fault
     * lasts its whole {@code --nemesis-for} even when the load ends first: what a partition does
     * to acknowledged writes shows only at the failover and the heal.
     */
    public boolean inLab() {
        return where == Where.LAB;
    }

    /** Whether the nemesis injects it (every kind but the failover it only sees). */
    public boolean injectable() {
        return where != Where.SEEN;
    }

    /** The kind of that name, injectable or not; empty for a name racelab does not know. */
    public static Optional<FaultKind> find(String name) {
        return Arrays.stream(values()).filter(k -> k.flagName.equals(name)).findFirst();
    }

    /** The fault {@code --nemesis} names, refused (naming the field) when the nemesis cannot inject it. */
    public static FaultKind injectable(String name) {
        return find(name).filter(FaultKind::injectable)
                .orElseThrow(() -> InvalidFieldException.about("nemesis", "unknown fault '" + name + "' for {field}; racelab"
                        + " injects: " + String.join(", ", Arrays.stream(values()).filter(FaultKind::injectable).map(FaultKind::flagName).toList())));
    }

    @Override
    public String toString() {
        return flagName;
    }
}
