package dev.racelab.internal.run;

import dev.racelab.core.Clock;
import dev.racelab.internal.report.RunResult.Fault;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The {@code kill-primary} fault in a lab: kill -9 of the server of the primary that a majority
 * of the cluster's electors names, by the pids the lab checked; then, for the plan's length, the
 * electors are asked every 200 ms whether they promoted another node (recorded as a fault of kind
 * {@code failover}); then it waits, at most {@link #BACK_WITHIN}, until the killed server runs
 * again and follows the primary (for Patroni: Patroni starts PostgreSQL again, after pg_rewind
 * when another node was promoted; for Galera, racelab starts the node's mariadbd again as the
 * lab started it, and it rejoins), so the check reads a whole cluster.
 */
final class KillPrimary {
    static final Duration BACK_WITHIN = Duration.ofSeconds(60);
    private static final long POLL_MS = 200;

    private final ReplicatedCluster cluster;
    private final Duration length;
    private final LongSupplier sinceStartMs;
    /** The nemesis's clock, which {@code sinceStartMs} reads: the waits between polls go through it. */
    private final Clock clock;
    private final PrintWriter progress;

    KillPrimary(ReplicatedCluster cluster, Duration length, LongSupplier sinceStartMs, Clock clock, PrintWriter progress) {
        this.cluster = cluster;
        this.clock = clock;
        this.length = length;
        this.sinceStartMs = sinceStartMs;
        this.progress = progress;
    }

    /** A primary's server, killed at {@code startMs}; its fault as recorded so far. */
    record Killed(String primary, ReplicatedCluster.KilledServer server, long startMs) {
        Fault fault(long endMs) {
            return Fault.killedPrimary(primary, server.server(), server.describe(), startMs, endMs);
        }
    }

    /** Kills the primary's server now; throws when no majority names a primary or the lab cannot kill its server. */
    Killed kill() {
        String primary = cluster.primary().orElseThrow(() -> new IllegalStateException("no " + cluster.electors() + " majority names a primary"));
        ReplicatedCluster.KilledServer server = cluster.killServer(primary)
                .orElseThrow(() -> new IllegalStateException("this lab's store cannot kill its primary's server"));
        long at = sinceStartMs.getAsLong();
        progress.printf(Locale.ROOT, "  nemesis: kill -9 the primary %s's %s at %.1f s%n", primary, server.describe(), at / 1000.0);
        progress.flush();
        return new Killed(primary, server, at);
    }

    /**
     * Watches for the promotion for the plan's length (each one seen goes to {@code failovers}),
     * then waits until the killed server is back; returns the kill's fault, ended then. Throws
     * when it is not back within {@link #BACK_WITHIN} (the caller marks the fault failed).
     */
    Fault watchUntilBack(Killed killed, Consumer<Fault> failovers) throws InterruptedException {
        boolean promoted = false;
        long until = killed.startMs() + length.toMillis();
        while (sinceStartMs.getAsLong() < until) {
            if (!promoted) promoted = promotion(killed, failovers);
            clock.sleep(Duration.ofMillis(Math.max(1, Math.min(POLL_MS, until - sinceStartMs.getAsLong()))));
        }
        killed.server().startAgain();
        long deadline = sinceStartMs.getAsLong() + BACK_WITHIN.toMillis();
        Optional<String> missing = killed.server().notBack();
        while (missing.isPresent() || !promoted && cluster.primary().isEmpty()) {
            if (!promoted) promoted = promotion(killed, failovers);
            if (sinceStartMs.getAsLong() > deadline) {
                throw new IllegalStateException("the killed " + killed.server().describe() + " on " + killed.primary() + " was not back within "
                        + BACK_WITHIN.toSeconds() + " s: " + missing.orElse("no primary is agreed on"));
            }
            clock.sleep(Duration.ofMillis(POLL_MS));
            missing = killed.server().notBack();
        }
        if (!promoted) promotion(killed, failovers);
        long end = sinceStartMs.getAsLong();
        progress.printf(Locale.ROOT, "  nemesis: %s's %s is back at %.1f s%n", killed.primary(), killed.server().describe().split(" ")[0],
                end / 1000.0);
        progress.flush();
        return killed.fault(end);
    }

    /** Whether the electors now agree on a primary other than the killed one; the first such is recorded. */
    private boolean promotion(Killed killed, Consumer<Fault> failovers) {
        Optional<String> now = cluster.primary();
        if (now.isEmpty() || now.get().equals(killed.primary())) return false;
        long at = sinceStartMs.getAsLong();
        failovers.accept(Fault.failover(now.get(), cluster.electors(), at));
        progress.printf(Locale.ROOT, "  nemesis: %s promoted %s at %.1f s%n", cluster.electors(), now.get(), at / 1000.0);
        progress.flush();
        return true;
    }
}
