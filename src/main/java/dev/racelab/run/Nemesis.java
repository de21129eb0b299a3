package dev.racelab.run;

import dev.racelab.report.RunResult.Fault;
import dev.racelab.store.ServerControl;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Injects the plan's faults on a schedule while the load runs: the first one {@code every}
 * after the start, then one each {@code every}, in the plan's order, at most
 * {@link NemesisPlan#MAX_FAULTS}, and none once the load is over. It acts only on worker
 * processes racelab started, by the pid it started them with. Each fault lands at a moment
 * the worker reports, never by luck: a worker asked to hold says "holding" first.
 */
final class Nemesis implements AutoCloseable {
    /** How long a worker asked to hold may take to reach the moment before the fault is skipped. */
    private static final long HOLD_WAIT_MS = 10_000;

    private final NemesisPlan plan;
    private final java.time.Duration leaseTtl;
    /** Whether the run's strategy takes leases: then a pause waits for a worker to hold one. */
    private final boolean leases;
    /** The cell store's server, for restart-store; null when the run has none to restart. */
    private final ServerControl cellServer;
    private final Supplier<List<WorkerProcess>> running;
    private final long startNanos;
    private final PrintWriter progress;
    private final List<Fault> faults = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean stopped;

    private Nemesis(NemesisPlan plan, java.time.Duration leaseTtl, boolean leases, ServerControl cellServer,
                    Supplier<List<WorkerProcess>> running, long startNanos, PrintWriter progress) {
        this.plan = plan;
        this.cellServer = cellServer;
        this.leaseTtl = leaseTtl;
        this.leases = leases;
        this.running = running;
        this.startNanos = startNanos;
        this.progress = progress;
        this.thread = Thread.ofPlatform().daemon().name("racelab-nemesis").unstarted(this::schedule);
    }

    /** {@code running}: the worker processes running their load now. */
    static Nemesis start(NemesisPlan plan, java.time.Duration leaseTtl, boolean leases, ServerControl cellServer,
                         Supplier<List<WorkerProcess>> running, long startNanos, PrintWriter progress) {
        Nemesis nemesis = new Nemesis(plan, leaseTtl, leases, cellServer, running, startNanos, progress);
        if (plan.active()) nemesis.thread.start();
        return nemesis;
    }

    List<Fault> faults() {
        return List.copyOf(faults);
    }

    private void schedule() {
        try {
            for (int n = 0; n < NemesisPlan.MAX_FAULTS && !stopped; n++) {
                Thread.sleep(plan.every());
                if (stopped) return;
                NemesisPlan.Kind kind = plan.faults().get(n % plan.faults().size());
                switch (kind) {
                    case KILL_WORKER -> killAWorker();
                    case PAUSE_HOLDER -> pauseAHolder();
                    case RESTART_STORE -> restartTheStore();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Asks a random running worker to hold once its next operation is applied, then kills it there. */
    private void killAWorker() throws InterruptedException {
        List<WorkerProcess> candidates = running.get();
        if (candidates.isEmpty()) return;
        WorkerProcess w = candidates.get(ThreadLocalRandom.current().nextInt(candidates.size()));
        try {
            w.send(WorkerMain.HOLD + Holds.Moment.APPLIED);
        } catch (IOException e) {
            return; // it is dying anyway; the fleet sees it
        }
        long deadline = System.nanoTime() + HOLD_WAIT_MS * 1_000_000;
        while (w.holding == null && w.running() && System.nanoTime() < deadline && !stopped) Thread.sleep(2);
        if (w.holding == null) {
            cancel(w);
            return;
        }
        long at = sinceStartMs();
        w.killedByNemesis = true;
        w.kill();
        faults.add(new Fault(NemesisPlan.Kind.KILL_WORKER.flagName(), w.name(), at, at));
        progress.printf(Locale.ROOT, "  nemesis: kill -9 %s at %.1f s, holding %s%n", w.name(), at / 1000.0, w.holding);
        progress.flush();
    }

    /**
     * Asks a random running worker to hold between a read and its write, inside its lease, then
     * stops the whole JVM with SIGSTOP (so nothing renews the lease) for the plan's length,
     * continues it, and sends the operation on to its write.
     */
    private void pauseAHolder() throws InterruptedException {
        List<WorkerProcess> candidates = running.get();
        if (candidates.isEmpty()) return;
        WorkerProcess w = candidates.get(ThreadLocalRandom.current().nextInt(candidates.size()));
        if (!leases) {
            pause(w, w.name() + ", holding no lease");
            return;
        }
        try {
            w.send(WorkerMain.HOLD + Holds.Moment.BETWEEN_READ_AND_WRITE);
        } catch (IOException e) {
            return;
        }
        long deadline = System.nanoTime() + HOLD_WAIT_MS * 1_000_000;
        while (w.holding == null && w.running() && System.nanoTime() < deadline && !stopped) Thread.sleep(2);
        if (w.holding == null) {
            cancel(w);
            return;
        }
        String[] held = w.holding.split(" ");
        pause(w, w.name() + ", holding the lease on " + (held.length > 2 ? held[2] : "its cell") + " (TTL "
                + seconds(leaseTtl.toMillis()) + ")");
    }

    /** SIGSTOP for the plan's length, then SIGCONT, and a hold (if any) is sent on. */
    private void pause(WorkerProcess w, String target) throws InterruptedException {
        long start = sinceStartMs();
        if (!signal(w, "STOP")) return;
        progress.printf(Locale.ROOT, "  nemesis: SIGSTOP %s at %.1f s, for %s%n", target, start / 1000.0, seconds(plan.length().toMillis()));
        progress.flush();
        try {
            Thread.sleep(plan.length());
        } finally {
            signal(w, "CONT");
            long end = sinceStartMs();
            faults.add(new Fault(NemesisPlan.Kind.PAUSE_HOLDER.flagName(), target, start, end));
            progress.printf(Locale.ROOT, "  nemesis: SIGCONT %s at %.1f s%n", w.name(), end / 1000.0);
            progress.flush();
            w.holding = null;
            cancel(w); // RELEASE: the held operation goes on to its write
        }
    }

    /** Stops the cell store's server and starts it again; the run's clients see it go and come back. */
    private void restartTheStore() {
        if (cellServer == null) return;
        long start = sinceStartMs();
        progress.printf(Locale.ROOT, "  nemesis: restarting %s at %.1f s%n", cellServer.describe(), start / 1000.0);
        progress.flush();
        try {
            cellServer.stopServer();
        } finally {
            cellServer.startServer();
            long end = sinceStartMs();
            faults.add(new Fault(NemesisPlan.Kind.RESTART_STORE.flagName(), cellServer.describe(), start, end));
            progress.printf(Locale.ROOT, "  nemesis: %s is back at %.1f s%n", cellServer.describe(), end / 1000.0);
            progress.flush();
        }
    }

    /** kill -SIG pid, for a process racelab started, by the pid it started it with. */
    private static boolean signal(WorkerProcess w, String signal) throws InterruptedException {
        if (!w.process.isAlive()) return false;
        try {
            return new ProcessBuilder("kill", "-" + signal, Long.toString(w.pid())).inheritIO().start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static String seconds(long ms) {
        return ms % 1000 == 0 ? (ms / 1000) + " s" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    private static void cancel(WorkerProcess w) {
        try {
            w.send(WorkerMain.RELEASE);
        } catch (IOException ignored) {
            // gone already
        }
    }

    private long sinceStartMs() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.interrupt();
        if (thread.isAlive()) thread.join(5_000);
    }
}
