package dev.racelab.internal.report;

import dev.racelab.core.Money;
import dev.racelab.internal.scenario.Scenario;
import dev.racelab.internal.strategy.StrategyInfo;
import dev.racelab.internal.vocab.FaultKind;
import java.util.Locale;

/** One plain sentence per run: what happened and why, and what the fix cost. */
public final class Explainer {
    private Explainer() {
    }

    /**
     * @param scenario the scenario the run ran, which says what its operations are called
     * @param baseline the atomic strategy's result on the same store, to price the others
     *                 against; null when there is none
     */
    public static String sentence(RunResult r, StrategyInfo info, Scenario scenario, RunResult baseline) {
        return verdictSentence(r, info, scenario, baseline) + deaths(r) + failedFaults(r);
    }

    /** A fault that could not be injected or undone, so that the verdict is never read as covering it. */
    static String failedFaults(RunResult r) {
        StringBuilder s = new StringBuilder();
        for (RunResult.Fault f : r.faults()) {
            if (f.failure() == null) continue;
            s.append(String.format(Locale.ROOT, " The nemesis's %s at %.1f s failed: %s.", f.kind(), f.startMs() / 1000.0, f.failure()));
        }
        return s.toString();
    }

    /**
     * Every worker that ended before its load did, by name and exit code, so a death never
     * passes silently, and what its operations in flight did to the bounds.
     */
    static String deaths(RunResult r) {
        if (r.workerExits().isEmpty()) return "";
        StringBuilder s = new StringBuilder();
        for (RunResult.WorkerExit e : r.workerExits()) {
            s.append(" Worker ").append(e.instance()).append(" (pid ").append(e.pid()).append(") exited with code ")
                    .append(e.exitCode()).append(" mid-run, ended by ").append(e.cause()).append(", after ")
                    .append(ResultTable.count(e.completed())).append(" operations");
            if (e.inFlight() > 0) {
                s.append("; its ").append(ResultTable.count(e.inFlight())).append(e.inFlight() == 1 ? " operation" : " operations")
                        .append(" in flight ").append(e.inFlight() == 1 ? "counts" : "count")
                        .append(" as unknown, which the bounds allow either way");
            }
            s.append('.');
        }
        long notRun = r.planned() - r.invoked();
        if (notRun > 0) {
            s.append(" ").append(ResultTable.count(notRun)).append(" planned operations never ran: the verdict covers the ")
                    .append(ResultTable.count(r.invoked())).append(" that did.");
        } else if (r.killedWorkers() > 0) {
            s.append(" Replacements ran the killed workers' remaining operations, so all ")
                    .append(ResultTable.count(r.planned())).append(" planned operations were invoked.");
        }
        return s.toString();
    }

    /** "worker 1 (pid 123) was paused 13.0 s while holding the lease on ... (TTL 2 s)". */
    private static String pausedHolder(RunResult.Fault pause) {
        return String.format(Locale.ROOT, "%s was paused %.1f s while holding %s", pause.holder(), (pause.endMs() - pause.startMs()) / 1000.0,
                pause.heldALease() ? pause.held() : "no lease");
    }

    /**
     * "worker 0 (pid 123) on client host n1 held the lease on K when n1 was cut off from the lease
     * store's n2, n3 at 1.2 s, for 8.0 s", from a partition-holder's facts.
     */
    private static String cutHolder(RunResult.Fault cut) {
        String others = cut.others().isEmpty() ? "the other nodes" : String.join(", ", cut.others());
        return String.format(Locale.ROOT, "%s on client host %s held %s when %s was cut off from the lease store's %s at %.1f s, for %.1f s",
                cut.holder(), cut.node(), cut.held(), cut.node(), others, cut.startMs() / 1000.0, (cut.endMs() - cut.startMs()) / 1000.0);
    }

    /**
     * "the primary n1 was cut off with client host n1 from n2, n3 at 5.0 s; Sentinel promoted n3
     * at 9.1 s; 3,211 increments acknowledged since the cut are missing: ...". The partition's
     * target reads "primary n1 with client host n1 | n2, n3"; a failover's is the promoted node.
     */
    private static String partitionLoss(RunResult r, RunResult.Fault cut, String things) {
        String oldPrimary = cut.node();
        StringBuilder s = new StringBuilder("the primary ").append(oldPrimary).append(" was cut off")
                .append(cut.clientHosts().isEmpty() ? "" : " with client " + (cut.clientHosts().size() == 1 ? "host " : "hosts ")
                        + String.join(", ", cut.clientHosts()))
                .append(cut.others().isEmpty() ? "" : " from " + String.join(", ", cut.others()))
                .append(String.format(Locale.ROOT, " at %.1f s", cut.startMs() / 1000.0));
        RunResult.Fault failover = r.faults().stream().filter(f -> f.kind() == FaultKind.FAILOVER).findFirst().orElse(null);
        if (failover != null) {
            s.append(String.format(Locale.ROOT, "; %s promoted %s at %.1f s", electors(failover), failover.target(), failover.startMs() / 1000.0));
        }
        s.append(String.format(Locale.ROOT, "; the partition healed at %.1f s", cut.endMs() / 1000.0));
        s.append("; ").append(ResultTable.count(r.lostUpdates())).append(" acknowledged ").append(things)
                .append(" are missing: ").append(oldPrimary).append(" acknowledged them after the cut, they never reached a replica");
        if (failover != null) s.append(", and ").append(oldPrimary).append(" dropped them when it rejoined as ").append(failover.target())
                .append("'s replica");
        return s.append(". Replication is asynchronous: an acknowledged write is on one node until a replica copies it.").toString();
    }

    /** The failover's electors, as the fault records them; a failover recorded before they were kept came from Sentinel. */
    private static String electors(RunResult.Fault failover) {
        return failover.electors() == null ? "Sentinel" : failover.electors();
    }

    /**
     * "the primary n1's postgres was killed (kill -9) at 1.0 s; Patroni promoted n2 at 3.1 s; it was
     * back at 9.8 s". The kill's target reads "primary n1: postgres (pid 123, then 9 of its children still running)".
     */
    private static String killed(RunResult r, RunResult.Fault kill) {
        StringBuilder s = new StringBuilder("the primary ").append(kill.node()).append("'s ").append(kill.server() == null ? "server" : kill.server())
                .append(String.format(Locale.ROOT, " was killed (kill -9) at %.1f s", kill.startMs() / 1000.0));
        r.faults().stream().filter(f -> f.kind() == FaultKind.FAILOVER).findFirst().ifPresent(failover -> s.append(
                String.format(Locale.ROOT, "; %s promoted %s at %.1f s", electors(failover), failover.target(), failover.startMs() / 1000.0)));
        return s.append(String.format(Locale.ROOT, "; it was back at %.1f s", kill.endMs() / 1000.0)).toString();
    }

    /** A loss across a kill of the primary: commits it acknowledged that no replica had received when it died. */
    private static String killLoss(RunResult r, RunResult.Fault kill, String things) {
        String oldPrimary = kill.node();
        RunResult.Fault failover = r.faults().stream().filter(f -> f.kind() == FaultKind.FAILOVER).findFirst().orElse(null);
        StringBuilder s = new StringBuilder(killed(r, kill)).append("; ").append(ResultTable.count(r.lostUpdates()))
                .append(" units of acknowledged ").append(things).append(" are missing: ").append(oldPrimary)
                .append(" acknowledged them before it died, and they never reached ")
                .append(failover == null ? "the replica promoted" : failover.target());
        if (failover != null) s.append("; ").append(oldPrimary).append(" dropped them when it rejoined as ").append(failover.target()).append("'s replica");
        return s.append(". Replication is asynchronous: an acknowledged commit is on one node until a replica copies it.").toString();
    }

    private static String verdictSentence(RunResult r, StrategyInfo info, Scenario scenario, RunResult baseline) {
        boolean orders = r.orders() != null;
        String things = scenario.noun();
        String name = r.strategy() + ": ";
        if (!r.passed()) {
            if (orders && r.oversold() > 0) {
                return name + "FAIL, " + ResultTable.count(r.oversold()) + " units were sold that the stock did not have. It "
                        + info.how() + "; buyers read the same stock, each sees enough, and each takes it.";
            }
            if (scenario.conservesTotal() && r.actual() != r.expected()) {
                return name + "FAIL, the accounts hold " + Money.format(r.actual()) + " in total, but transfers only move money:"
                        + " they should hold " + Money.format(r.expected()) + ". It " + info.how()
                        + "; two transfers read the same balance, and one overwrites the other's change.";
            }
            RunResult.Fault restart = r.faults().stream().filter(f -> f.kind() == FaultKind.RESTART_STORE).findFirst().orElse(null);
            if (r.lostUpdates() > 0 && restart != null) {
                String lost = ResultTable.count(r.lostUpdates()) + " units of acknowledged " + things;
                return name + "FAIL, " + restart.target() + " restarted at " + String.format(Locale.ROOT, "%.1f s",
                        restart.startMs() / 1000.0) + (r.faults().size() > 1 ? " (and " + (r.faults().size() - 1) + " times more)" : "")
                        + (r.vanishedCells().isEmpty() ? " and came back without " + lost
                        : " and came back without its data: " + String.join(", ", r.vanishedCells())
                        + " vanished, and with it " + lost)
                        + ". The restart lost them, not racelab: a server that keeps nothing on disk forgets every write"
                        + " it acknowledged since it started (Redis with --appendonly yes --appendfsync always keeps them).";
            }
            RunResult.Fault cut = r.faults().stream().filter(f -> f.kind() == FaultKind.PARTITION_PRIMARY).findFirst().orElse(null);
            if (r.lostUpdates() > 0 && cut != null) return name + "FAIL, " + partitionLoss(r, cut, things);
            RunResult.Fault kill = r.faults().stream().filter(f -> f.kind() == FaultKind.KILL_PRIMARY).findFirst().orElse(null);
            if (r.lostUpdates() > 0 && kill != null) return name + "FAIL, " + killLoss(r, kill, things);
            RunResult.Fault holderCut = r.faults().stream().filter(f -> f.kind() == FaultKind.PARTITION_HOLDER).findFirst()
                    .orElse(null);
            if (r.lostUpdates() > 0 && holderCut != null) {
                return name + "FAIL, " + cutHolder(holderCut) + (r.faults().size() > 1 ? " (one of " + r.faults().size() + " such cuts)" : "")
                        + "; the lease store's majority let its lease expire and granted it to another worker, and the cut off"
                        + " holder then wrote a value it had read before the cut: " + ResultTable.count(r.lostUpdates())
                        + " units of acknowledged " + things + " lost. It " + info.how()
                        + ", and nothing makes the store refuse the stale write (lock-fenced does).";
            }
            RunResult.Fault pause = r.faults().stream()
                    .filter(f -> f.kind() == FaultKind.PAUSE_HOLDER && f.heldALease()).findFirst().orElse(null);
            if (r.lostUpdates() > 0 && pause != null) {
                return name + "FAIL, " + pausedHolder(pause) + "; another holder took the lease; the paused worker then wrote"
                        + " a value it had read before: " + ResultTable.count(r.lostUpdates()) + " units of acknowledged " + things
                        + " lost. It " + info.how() + ", and nothing makes the store refuse the stale write (lock-fenced does).";
            }
            if (r.lostUpdates() > 0) {
                return name + "FAIL, " + ResultTable.count(r.lostUpdates()) + " units of acknowledged " + things
                        + " are missing from the store. It " + info.how()
                        + "; two clients read the same value, both write their result, and one change vanishes.";
            }
            return name + "FAIL, " + r.explanation() + ". It " + info.how() + ".";
        }
        StringBuilder s = new StringBuilder(name).append("PASS. It ").append(info.how()).append('.');
        if (!info.safe()) {
            s.append(" Nothing broke this time, but only by luck: the race is still there.");
            return s.toString();
        }
        if (orders) {
            s.append(" ").append(ResultTable.count(r.ok())).append(" orders succeeded");
            if (r.recovered() != null && r.recovered() > 0) {
                s.append(" and the recovery sweep logged ").append(ResultTable.count(r.recovered()))
                        .append(" orders that crashed clients had reserved");
            }
            s.append('.');
        }
        r.faults().stream().filter(f -> f.kind() == FaultKind.PAUSE_HOLDER).findFirst().ifPresent(p -> s.append(" ")
                .append(Character.toUpperCase(pausedHolder(p).charAt(0))).append(pausedHolder(p).substring(1))
                .append(r.rejected().getOrDefault("fenced", 0L) > 0
                        ? "; its stale write was refused by the fence, so nothing acknowledged was lost."
                        : !p.heldALease() ? ", and the run went on around it." : "."));
        long kills = r.faults().stream().filter(f -> f.kind() == FaultKind.KILL_PRIMARY).count();
        r.faults().stream().filter(f -> f.kind() == FaultKind.KILL_PRIMARY).findFirst().ifPresent(k -> s.append(" ")
                .append(Character.toUpperCase(killed(r, k).charAt(0))).append(killed(r, k).substring(1))
                .append(kills > 1 ? " (and " + (kills - 1) + (kills == 2 ? " more kill" : " more kills") + " of the primary)" : "")
                .append(", and every acknowledged change survived it."));
        r.faults().stream().filter(f -> f.kind() == FaultKind.PARTITION_HOLDER).findFirst().ifPresent(c -> s.append(" ")
                .append(Character.toUpperCase(cutHolder(c).charAt(0))).append(cutHolder(c).substring(1))
                .append(r.rejected().getOrDefault("fenced", 0L) > 0
                        ? "; its stale write was refused by the fence, so nothing acknowledged was lost." : "."));
        long restarts = r.faults().stream().filter(f -> f.kind() == FaultKind.RESTART_STORE).count();
        if (restarts > 0) {
            s.append(" The nemesis restarted ").append(r.faults().stream().filter(f -> f.kind() == FaultKind.RESTART_STORE)
                    .findFirst().orElseThrow().target()).append(' ').append(restarts).append(restarts == 1 ? " time" : " times")
                    .append(", and every acknowledged change survived it.");
        }
        long refused = r.failedTotal();
        if (refused > 0) {
            s.append(" ").append(ResultTable.count(refused)).append(" ").append(things).append(" were refused (")
                    .append(ResultTable.reasons(r)).append(") and the clients were told, so none of them is a loss.");
        }
        if (r.retries() > 0) {
            s.append(String.format(Locale.ROOT, " It needed %s retries (%.2f per request).",
                    ResultTable.count(r.retries()), r.retries() / (double) Math.max(1, r.invoked())));
        }
        s.append(" Cost: ").append(ResultTable.count(Math.round(r.opsPerSec()))).append(" ops/s, p99 ")
                .append(ResultTable.ms(r.latencyMs().p99())).append(" ms");
        if (baseline != null && baseline != r && baseline.opsPerSec() > 0 && r.opsPerSec() > 0) {
            double ratio = baseline.opsPerSec() / r.opsPerSec();
            s.append(String.format(Locale.ROOT, ratio >= 1.05 ? ", %.1fx slower than atomic" : ", as fast as atomic", ratio));
        }
        return s.append('.').toString();
    }
}
