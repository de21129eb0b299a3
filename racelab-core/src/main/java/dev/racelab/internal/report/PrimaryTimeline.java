package dev.racelab.internal.report;

import dev.racelab.internal.vocab.FaultKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which node of a lab was primary when, as a run's faults tell it: the primary a fault aimed at
 * (a partition-primary's or a kill-primary's node) was primary from the start, and each failover names the
 * node promoted and when it was first seen. Empty for a run that recorded neither.
 */
final class PrimaryTimeline {
    /** One node's time as primary. */
    record Term(String node, long startMs, long endMs) {
    }

    private PrimaryTimeline() {
    }

    static List<Term> of(RunResult run, long lengthMs) {
        Optional<String> first = run.faults().stream()
                .filter(f -> f.kind() == FaultKind.PARTITION_PRIMARY || f.kind() == FaultKind.KILL_PRIMARY).map(RunResult.Fault::node).findFirst();
        List<RunResult.Fault> failovers = run.faults().stream().filter(f -> f.kind() == FaultKind.FAILOVER)
                .sorted(java.util.Comparator.comparingLong(RunResult.Fault::startMs)).toList();
        if (first.isEmpty() && failovers.isEmpty()) return List.of();
        List<Term> terms = new ArrayList<>();
        String node = first.orElse(null);
        long since = 0;
        for (RunResult.Fault f : failovers) {
            if (node != null) terms.add(new Term(node, since, f.startMs()));
            node = f.target();
            since = f.startMs();
        }
        terms.add(new Term(node, since, Math.max(since, lengthMs)));
        return terms;
    }
}
