package dev.racelab.internal.run;

import dev.racelab.core.Clock;
import dev.racelab.internal.process.HoldMoment;
import dev.racelab.internal.process.WorkerState;
import dev.racelab.internal.process.WorkerMessage;
import dev.racelab.internal.report.RunResult.Fault;
import dev.racelab.internal.faults.ServerControl;
import dev.racelab.internal.vocab.FaultKind;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Injects the plan's faults on a schedule while the load runs: the first one {@code first}
 * after the start, then one each {@code every}, in the plan's order, at most
 * {@link NemesisPlan#MAX_FAULTS}, and none once the load is over; a lab's fault that began
 * lasts its whole length even so. It acts only on worker
 * processes racelab started, by the pid it started them with. Each fault lands at a moment
 * the worker reports, never by luck: a worker asked to hold says "holding" first.
 */
@SuppressWarnings("try") // close() waits for a fault in flight, so it may be interrupted
final class Nemesis implements AutoCloseable {
    /** How long a worker asked to hold may take to reach the moment before the fault is skipped. */
    private static final java.time.Duration HOLD_WAIT = java.time.Duration.ofSeconds(10);
    /** A server's stop and start each wait up to a minute for it. */
    private static final long CLOSE_WAIT_MS = 150_000;

    private final NemesisPlan plan;
    private final java.time.Duration leaseTtl;
    /** Whether the run's strategy takes leases: then a pause waits for a worker to hold one. */
    private final boolean leases;
    /** The cell store's server (restart-store, pause-store); null when racelab may not touch it. */
    private final ServerControl cellServer;
    /** The server that grants the leases (restart-lease-store, pause-lease-store); null likewise. */
    private final ServerControl leaseServer;
    /** The lab's cluster (partition-primary); null outside a lab. */
    private final ReplicatedCluster cluster;
    /** The lab hosts the workers run on: they stay on the cut off primary's side. */
    private final List<String> clientHosts;
    /** Names what the nemesis makes in a lab (its nftables tables), after the run. */
    private final String runId;
    private final Supplier<List<WorkerProcess>> running;
    private final long startNanos;
    /** The clock {@code startNanos} was read on; every wait of the schedule goes through it. */
    private final Clock clock;
    private final PrintWriter progress;
    private final List<Fault> faults = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean stopped;
    /** Guards {@link #restoring}: close() must not interrupt a server's stop or start half way. */
    private final Object interruptLock = new Object();
    private boolean restoring;
    /** The fault the injection under way recorded: the one a failure thrown after it belongs to. */
    private volatile Fault pending;

    private Nemesis(NemesisPlan plan, java.time.Duration leaseTtl, boolean leases, ServerControl cellServer,
                    ServerControl leaseServer, ReplicatedCluster cluster, List<String> clientHosts, String runId,
                    Supplier<List<WorkerProcess>> running, long startNanos, Clock clock, PrintWriter progress) {
        this.plan = plan;
        this.clock = clock;
        this.cluster = cluster;
        this.clientHosts = List.copyOf(clientHosts);
        this.runId = runId;
        this.cellServer = cellServer;
        this.leaseServer = leaseServer;
        this.leaseTtl = leaseTtl;
        this.leases = leases;
        this.running = running;
        this.startNanos = startNanos;
        this.progress = progress;
        this.thread = Thread.ofPlatform().daemon().name("racelab-nemesis").unstarted(this::schedule);
    }

    /** {@code running}: the worker processes running their load now. */
    static Nemesis start(NemesisPlan plan, java.time.Duration leaseTtl, boolean leases, ServerControl cellServer,
                         ServerControl leaseServer, Supplier<List<WorkerProcess>> running, long startNanos, PrintWriter progress) {
        return start(plan, leaseTtl, leases, cellServer, leaseServer, null, List.of(), "", running, startNanos, Clock.SYSTEM, progress);
    }

    /**
     * {@code cluster}, {@code clientHosts}, {@code runId}: a lab's, for partition-primary (null, empty, any outside a lab);
     * {@code startNanos} on {@code clock}.
     */
    static Nemesis start(NemesisPlan plan, java.time.Duration leaseTtl, boolean leases, ServerControl cellServer,
                         ServerControl leaseServer, ReplicatedCluster cluster, List<String> clientHosts, String runId,
                         Supplier<List<WorkerProcess>> running, long startNanos, Clock clock, PrintWriter progress) {
        Nemesis nemesis = new Nemesis(plan, leaseTtl, leases, cellServer, leaseServer, cluster, clientHosts, runId, running,
                startNanos, clock, progress);
        if (plan.active()) nemesis.thread.start();
        return nemesis;
    }

    List<Fault> faults() {
        return List.copyOf(faults);
    }

    private void schedule() {
        try {
            for (int n = 0; n < NemesisPlan.MAX_FAULTS && !stopped; n++) {
                clock.sleep(n == 0 ? plan.first() : plan.every());
                if (stopped) return;
                FaultKind kind = plan.faults().get(n % plan.faults().size());
                pending = null;
                try {
                    inject(kind);
                } catch (RuntimeException e) {
                    // A fault that could not be injected or undone is said and recorded; the schedule goes on.
                    long at = sinceStartMs();
                    failed(kind, e);
                    progress.printf(Locale.ROOT, "  nemesis: %s failed at %.1f s: %s; the schedule goes on%n", kind.flagName(),
                            at / 1000.0, e.getMessage());
                    progress.flush();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void inject(FaultKind kind) throws InterruptedException {
        switch (kind) {
            case KILL_WORKER -> killAWorker();
            case PAUSE_HOLDER -> pauseAHolder();
            case RESTART_STORE -> restart(kind, cellServer, null);
            case PAUSE_STORE -> pauseServer(kind, cellServer, null);
            case RESTART_LEASE_STORE -> whileALeaseIsHeld(holder -> restart(kind, leaseServer, holder));
            case PAUSE_LEASE_STORE -> whileALeaseIsHeld(holder -> pauseServer(kind, leaseServer, holder));
            case PARTITION_PRIMARY -> partitionPrimary();
            case PARTITION_HALVES -> labFault(NodePartition.halves("racelab_" + runId));
            case PARTITION_ONE -> labFault(NodePartition.one("racelab_" + runId));
            case PAUSE_NODE -> labFault(new PauseNode());
            case RESTART_NODE -> labFault(new RestartNode());
            case KILL_PRIMARY -> killPrimary();
            case PARTITION_HOLDER -> whileALeaseIsHeld(this::partitionHolder);
            case PARTITION_HOST -> labFault(new HostPartition("racelab_" + runId, running));
        }
    }

    /** Marks the fault that this injection recorded as failed, or records one when it failed before it got that far. */
    private void failed(FaultKind kind, RuntimeException e) {
        String why = String.valueOf(e.getMessage());
        int at = pending == null ? -1 : faults.indexOf(pending);
        if (at >= 0) {
            faults.set(at, pending.failedWith(why));
        } else {
            long now = sinceStartMs();
            faults.add(new Fault(kind, "", now, now, why));
        }
    }

    /** Asks a random running worker to hold once its next operation is applied, then kills it there. */
    private void killAWorker() throws InterruptedException {
        WorkerProcess w = aRunningWorker();
        if (w == null || !holdAt(w, HoldMoment.APPLIED)) return;
        long at = sinceStartMs();
        WorkerMessage.Holding held = w.state().holding();
        w.killByNemesis();
        faults.add(new Fault(FaultKind.KILL_WORKER, w.name(), at, at));
        progress.printf(Locale.ROOT, "  nemesis: kill -9 %s at %.1f s, holding %s%n", w.name(), at / 1000.0, held.describe());
        progress.flush();
    }

    private WorkerProcess aRunningWorker() {
        List<WorkerProcess> candidates = running.get();
        return candidates.isEmpty() ? null : candidates.get(ThreadLocalRandom.current().nextInt(candidates.size()));
    }

    /**
     * Asks the worker to hold at {@code moment} and waits until it says it does; when it does not
     * within {@link #HOLD_WAIT} (or stops running), withdraws the request and answers false.
     */
    private boolean holdAt(WorkerProcess w, HoldMoment moment) throws InterruptedException {
        try {
            w.child().send(new WorkerMessage.Hold(moment));
        } catch (IOException e) {
            return false; // it is dying anyway; the fleet sees it
        }
        WorkerState s = w.child().await(st -> st.holding() != null || !st.running(), clock.nanoTime() + HOLD_WAIT.toNanos());
        if (s.holding() != null) return true;
        w.child().withdrawHold();
        return false;
    }

    /** A fault on the lease store, at a moment a worker holds a lease between its read and its write; none when no worker gets there. */
    private void whileALeaseIsHeld(HeldFault fault) throws InterruptedException {
        WorkerProcess w = aRunningWorker();
        if (w != null && holdAt(w, HoldMoment.BETWEEN_READ_AND_WRITE)) fault.inject(w);
    }

    @FunctionalInterface
    private interface HeldFault {
        void inject(WorkerProcess holder) throws InterruptedException;
    }

    /**
     * Asks a random running worker to hold between a read and its write, inside its lease, then
     * stops the whole JVM with SIGSTOP (so nothing renews the lease) for the plan's length,
     * continues it, and sends the operation on to its write.
     */
    private void pauseAHolder() throws InterruptedException {
        WorkerProcess w = aRunningWorker();
        if (w == null) return;
        if (!leases) {
            pause(w, null);
            return;
        }
        if (!holdAt(w, HoldMoment.BETWEEN_READ_AND_WRITE)) return;
        pause(w, leaseHeld(w));
    }

    private String leaseHeld(WorkerProcess w) {
        WorkerMessage.Holding held = w.state().holding();
        return "the lease on " + (held == null ? "its cell" : held.key()) + " (TTL " + seconds(leaseTtl.toMillis()) + ")";
    }

    /** SIGSTOP for the plan's length, then SIGCONT, and a hold (if any) is sent on; {@code held} is the lease it holds, null for none. */
    private void pause(WorkerProcess w, String held) throws InterruptedException {
        long start = sinceStartMs();
        String target = Fault.pausedHolder(w.name(), held, start, start).target();
        if (!signal(w, "STOP")) return;
        progress.printf(Locale.ROOT, "  nemesis: SIGSTOP %s at %.1f s, for %s%n", target, start / 1000.0, seconds(plan.length().toMillis()));
        progress.flush();
        try {
            clock.sleep(plan.length());
        } finally {
            signal(w, "CONT");
            long end = sinceStartMs();
            faults.add(Fault.pausedHolder(w.name(), held, start, end));
            progress.printf(Locale.ROOT, "  nemesis: SIGCONT %s at %.1f s%n", w.name(), end / 1000.0);
            progress.flush();
            w.child().withdrawHold(); // RELEASE: the held operation goes on to its write
        }
    }

    /**
     * Stops a server and starts it again. With a holder, the server goes down while the holder
     * holds its lease, and the holder is sent on to its write at once.
     */
    private void restart(FaultKind kind, ServerControl server, WorkerProcess holder) {
        if (server == null || !beginRestoring()) {
            release(holder);
            return;
        }
        String target = server.describe() + heldBy(holder);
        long start = sinceStartMs();
        progress.printf(Locale.ROOT, "  nemesis: restarting %s at %.1f s%n", target, start / 1000.0);
        progress.flush();
        try {
            server.stopServer();
            release(holder);
        } finally {
            release(holder);
            try {
                server.startServer();
            } finally {
                endRestoring();
                long end = sinceStartMs();
                record(new Fault(kind, target, start, end));
                progress.printf(Locale.ROOT, "  nemesis: %s is back at %.1f s%n", server.describe(), end / 1000.0);
                progress.flush();
            }
        }
    }

    /** From here until {@link #endRestoring}, close() waits instead of interrupting; false once closed. */
    private boolean beginRestoring() {
        synchronized (interruptLock) {
            if (stopped) return false;
            restoring = true;
            return true;
        }
    }

    /** When close() came meanwhile, this thread is interrupted now, so what follows (a pause's wait) is cut short. */
    private void endRestoring() {
        synchronized (interruptLock) {
            restoring = false;
            if (stopped) Thread.currentThread().interrupt();
        }
    }

    /** Undoing a fault is never interrupted, even once closed: close() waits for it. */
    private void beginUndoing() {
        synchronized (interruptLock) {
            restoring = true;
        }
    }

    /** A fault as it ends; {@link #failed} marks it when what ended it threw. */
    private void record(Fault fault) {
        faults.add(fault);
        pending = fault;
    }

    /**
     * SIGSTOPs every process of a server for the plan's length, then SIGCONT. close() waits for
     * the stop and the continue, and cuts only the wait between them short, so no run ends with
     * its server frozen. A shutdown hook continues it should racelab itself be stopped meanwhile.
     */
    private void pauseServer(FaultKind kind, ServerControl server, WorkerProcess holder) throws InterruptedException {
        if (server == null || !beginRestoring()) {
            release(holder);
            return;
        }
        String target = server.describe() + heldBy(holder);
        Thread resumeOnExit = new Thread(server::resumeServer, "racelab-resume-paused-server");
        Runtime.getRuntime().addShutdownHook(resumeOnExit);
        long start = sinceStartMs();
        try {
            try {
                server.pauseServer();
            } finally {
                endRestoring();
            }
            progress.printf(Locale.ROOT, "  nemesis: SIGSTOP %s at %.1f s, for %s%n", target, start / 1000.0, seconds(plan.length().toMillis()));
            progress.flush();
            release(holder);
            clock.sleep(plan.length());
        } finally {
            release(holder);
            beginUndoing();
            try {
                server.resumeServer();
            } finally {
                endRestoring();
                Runtime.getRuntime().removeShutdownHook(resumeOnExit);
                long end = sinceStartMs();
                record(new Fault(kind, target, start, end));
                progress.printf(Locale.ROOT, "  nemesis: SIGCONT %s at %.1f s%n", server.describe(), end / 1000.0);
                progress.flush();
            }
        }
    }

    /** How often the other side's Sentinels are asked whether they promoted a new primary. */
    private static final long PROMOTION_POLL_MS = 200;

    /**
     * Cuts the primary the Sentinels name now, with the client hosts, off from the other nodes for
     * the plan's length, recording when the other side promotes a new primary, then heals. The
     * cut and the heal are never interrupted half way: close() waits for them and cuts only the
     * wait between them short, so no run ends with its lab partitioned.
     */
    private void partitionPrimary() throws InterruptedException {
        if (cluster == null || !beginRestoring()) return;
        String primary;
        ReplicatedCluster.Partition cut;
        long start;
        try {
            primary = cluster.primary().orElseThrow(() -> new IllegalStateException("no " + cluster.electors() + " majority names a primary"));
            java.util.LinkedHashSet<String> side = new java.util.LinkedHashSet<>(List.of(primary));
            side.addAll(clientHosts);
            cut = cluster.cutOff(side, "racelab_" + runId);
            start = sinceStartMs();
        } finally {
            endRestoring();
        }
        Fault partition = Fault.partitionedPrimary(primary, clientHosts, cut.others(), start, start);
        pending = partition; // a heal that fails marks it
        progress.printf(Locale.ROOT, "  nemesis: cut off %s%s from %s at %.1f s, for %s%n", "primary " + primary,
                clientHosts.isEmpty() ? "" : " (with client " + (clientHosts.size() == 1 ? "host " : "hosts ") + String.join(", ", clientHosts) + ")",
                String.join(", ", cut.others()), start / 1000.0, seconds(plan.length().toMillis()));
        if (cut.side().size() >= cut.others().size()) {
            // the client hosts joined the primary's side: it keeps the electors' majority
            progress.printf(Locale.ROOT, "  nemesis: the cut off side (%s) is no minority: its %s electors can keep %s primary,"
                    + " so no failover is expected%n", String.join(", ", cut.side()), cluster.electors(), primary);
        }
        progress.flush();
        Fault failover = null;
        beginUndoing(); // from here the partition lasts its whole length, even when the load ends first
        Thread.interrupted(); // a close() that came just before this line asked for nothing else
        try {
            long until = start + plan.length().toMillis();
            while (sinceStartMs() < until) {
                if (failover == null) {
                    java.util.Optional<String> now = cluster.primaryAsSeenFrom(cut.others());
                    if (now.isPresent() && !now.get().equals(primary)) {
                        long at = sinceStartMs();
                        failover = Fault.failover(now.get(), cluster.electors(), at);
                        faults.add(failover);
                        progress.printf(Locale.ROOT, "  nemesis: %s promoted %s at %.1f s%n", cluster.electors(), now.get(), at / 1000.0);
                        progress.flush();
                    }
                }
                clock.sleep(java.time.Duration.ofMillis(Math.max(1, Math.min(PROMOTION_POLL_MS, until - sinceStartMs()))));
            }
        } finally {
            try {
                cut.heal();
            } finally {
                endRestoring();
                long end = sinceStartMs();
                partition = partition.endedAt(end);
                faults.add(0 <= faults.indexOf(failover) ? faults.indexOf(failover) : faults.size(), partition);
                pending = partition;
                progress.printf(Locale.ROOT, "  nemesis: healed at %.1f s%n", end / 1000.0);
                progress.flush();
            }
        }
    }

    /**
     * kill -9 of the primary's server (see {@link KillPrimary}). The kill and the wait until the
     * server is back are never interrupted: close() waits for them, so no run is checked while its
     * old primary is down or has not rejoined.
     */
    private void killPrimary() throws InterruptedException {
        if (cluster == null || !beginRestoring()) return;
        KillPrimary fault = new KillPrimary(cluster, plan.length(), this::sinceStartMs, clock, progress);
        KillPrimary.Killed killed;
        try {
            killed = fault.kill();
        } finally {
            endRestoring();
        }
        pending = killed.fault(killed.startMs()); // a server that does not come back marks it
        faults.add(pending);
        beginUndoing(); // from here the fault lasts its whole length, even when the load ends first
        Thread.interrupted(); // a close() that came just before this line asked for nothing else
        Fault ended = pending;
        try {
            ended = fault.watchUntilBack(killed, faults::add);
        } finally {
            endRestoring();
            faults.set(faults.indexOf(pending), ended);
            pending = ended;
        }
    }

    private String heldBy(WorkerProcess holder) {
        return holder == null ? "" : ", while " + holder.name() + " held " + leaseHeld(holder);
    }

    /** Sends a held worker on; once only, as the worker's hold is cleared. */
    private static void release(WorkerProcess holder) {
        if (holder != null) holder.child().releaseHold();
    }

    /** kill -SIG pid, for a process racelab started, by the pid it started it with. */
    private static boolean signal(WorkerProcess w, String signal) throws InterruptedException {
        return w.signal(signal); // on a worker's host, over ssh, when it runs on one
    }

    private static String seconds(long ms) {
        return ms % 1000 == 0 ? (ms / 1000) + " s" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    private long sinceStartMs() {
        return (clock.nanoTime() - startNanos) / 1_000_000;
    }

    /** partition-holder: the holder's host cut off from the lease store's nodes, with this nemesis's clock and close() guard. */
    private void partitionHolder(WorkerProcess holder) throws InterruptedException {
        PartitionHolder.Guard guard = new PartitionHolder.Guard() {
            @Override
            public boolean begin() {
                return beginRestoring();
            }

            @Override
            public void end() {
                endRestoring();
            }

            @Override
            public void undoing() {
                beginUndoing();
            }

            @Override
            public long sinceStartMs() {
                return Nemesis.this.sinceStartMs();
            }

            @Override
            public void sleep(java.time.Duration length) throws InterruptedException {
                clock.sleep(length);
            }
        };
        new PartitionHolder(cluster, clientHosts, runId, plan.length(), progress).inject(holder, guard, () -> release(holder), this::record);
    }

    /**
     * Ends the schedule. A pause under way is cut short (its server and worker continued); a
     * server being stopped or started is waited for, so no run ends with its server down.
     */
    @Override
    public void close() throws InterruptedException {
        synchronized (interruptLock) {
            stopped = true;
            if (!restoring) thread.interrupt();
        }
        if (thread.isAlive()) thread.join(CLOSE_WAIT_MS + plan.length().toMillis());
    }

    /** Picks the nodes a lab's fault aims at, seeded by the run's id; the faults record what it picked. */
    private java.util.Random labRandom;

    /**
     * Begins a lab's fault, keeps it its whole length (even when the load ends first), then undoes
     * it. The beginning and the undoing are never interrupted half way: close() waits for them.
     */
    private void labFault(LabFault fault) throws InterruptedException {
        if (cluster == null || !beginRestoring()) return;
        LabFault.Begun begun;
        long start;
        try {
            if (labRandom == null) labRandom = new java.util.Random(runId.isEmpty() ? 0 : Long.parseLong(runId, 16));
            begun = fault.begin(cluster, labRandom);
            start = sinceStartMs();
        } finally {
            endRestoring();
        }
        FaultKind kind = fault.kind();
        pending = new Fault(kind, begun.target(), start, start); // an undoing that fails marks it
        progress.printf(Locale.ROOT, "  nemesis: %s: %s at %.1f s, for %s%n", kind, begun.begun(), start / 1000.0, seconds(plan.length().toMillis()));
        progress.flush();
        beginUndoing(); // from here the fault lasts its whole length
        Thread.interrupted(); // a close() that came just before this line asked for nothing else
        try {
            long until = start + plan.length().toMillis();
            for (long left = until - sinceStartMs(); left > 0; left = until - sinceStartMs()) clock.sleep(java.time.Duration.ofMillis(left));
        } finally {
            try {
                begun.undo().run();
            } finally {
                endRestoring();
                long end = sinceStartMs();
                record(new Fault(kind, begun.target(), start, end));
                progress.printf(Locale.ROOT, "  nemesis: %s: %s at %.1f s%n", kind, begun.undone(), end / 1000.0);
                progress.flush();
            }
        }
    }
}
