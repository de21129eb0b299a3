package dev.racelab.internal.run;

import dev.racelab.internal.process.WorkerMessage;
import dev.racelab.internal.report.RunResult.Fault;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * {@code partition-holder}: the lab host of a worker that holds a lease (it said "holding",
 * between its read and its write) is cut off from the lease store's other nodes, and from no
 * other node: its cell store stays in reach. The holder is kept at its hold for the whole cut,
 * while the lease store's majority lets its lease expire and grants it to another worker, then
 * sent on to its write and the cut healed. A lock without a fence writes what it read before
 * the other holder's writes; a fenced write is refused by the cell.
 */
final class PartitionHolder {
    /** What the nemesis lends a fault: its clock, and its guard that keeps close() from interrupting a cut or a heal half way. */
    interface Guard {
        /** From here close() waits; false once closed (then nothing is cut). */
        boolean begin();

        /** close() may interrupt again (and does now if it came meanwhile). */
        void end();

        /** From here until {@link #end}, close() waits: the cut lasts its whole length even when the load ends first. */
        void undoing();

        long sinceStartMs();

        /** Waits on the nemesis's clock. */
        void sleep(Duration length) throws InterruptedException;
    }

    private final ReplicatedCluster cluster;
    private final List<String> clientHosts;
    private final String runId;
    private final Duration length;
    private final PrintWriter progress;

    PartitionHolder(ReplicatedCluster cluster, List<String> clientHosts, String runId, Duration length, PrintWriter progress) {
        this.cluster = cluster;
        this.clientHosts = List.copyOf(clientHosts);
        this.runId = runId;
        this.length = length;
        this.progress = progress;
    }

    /**
     * Cuts the holder's host off from the lease store's nodes for the plan's length, sends the
     * holder on ({@code release}) and heals; {@code record} hears the fault as it ends, healed or not.
     */
    void inject(WorkerProcess holder, Guard guard, Runnable release, Consumer<Fault> record) throws InterruptedException {
        if (cluster == null || clientHosts.isEmpty()) {
            release.run();
            throw new IllegalStateException("partition-holder needs a lab and --client-hosts");
        }
        String host = clientHosts.get(holder.instance % clientHosts.size());
        List<String> from = cluster.leaseNodes().stream().filter(n -> !n.equals(host)).toList();
        if (from.isEmpty()) {
            release.run();
            throw new IllegalStateException("the lab's lease store has no node beside the holder's host " + host);
        }
        if (!guard.begin()) {
            release.run();
            return;
        }
        ReplicatedCluster.Partition cut;
        try {
            cut = cluster.cutOff(List.of(host), from, "racelab_" + runId);
        } catch (RuntimeException e) {
            release.run();
            throw e;
        } finally {
            guard.end();
        }
        long start = guard.sinceStartMs();
        String lease = lease(holder.state().holding());
        String holderName = holder.name();
        boolean leaseNodeThere = cluster.leaseNodes().contains(host);
        progress.printf(Locale.ROOT, "  nemesis: cut off client host %s (%s, holding %s) from the lease store's %s at %.1f s, for %s;"
                + " the cell store stays in reach%n", host, holderName, lease, String.join(", ", cut.others()), start / 1000.0, seconds(length));
        progress.flush();
        guard.undoing(); // from here the cut lasts its whole length, even when the load ends first
        Thread.interrupted(); // a close() that came just before asked for nothing else
        try {
            long until = start + length.toMillis();
            long left;
            while ((left = until - guard.sinceStartMs()) > 0) guard.sleep(Duration.ofMillis(left));
        } finally {
            release.run(); // the holder goes on to its write, with what it read before the cut
            try {
                cut.heal();
            } finally {
                guard.end();
                long end = guard.sinceStartMs();
                record.accept(Fault.cutHolder(host, leaseNodeThere, holderName, lease, cut.others(), start, end));
                progress.printf(Locale.ROOT, "  nemesis: %s sent on to its write and the cut healed at %.1f s%n", holderName, end / 1000.0);
                progress.flush();
            }
        }
    }

    /** "the lease on KEY", from what the worker said it holds. */
    private static String lease(WorkerMessage.Holding holding) {
        return "the lease on " + (holding == null ? "its cell" : holding.key());
    }

    private static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + " s" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
