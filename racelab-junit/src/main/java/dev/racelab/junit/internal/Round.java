package dev.racelab.junit.internal;

import dev.racelab.junit.Finding;
import dev.racelab.junit.Invariant;
import dev.racelab.junit.Outcomes;
import dev.racelab.junit.Race;
import java.util.ArrayList;
import java.util.List;

/** The part every race and every schedule shares: set up, read the invariants' start, race, judge. */
final class Round {
    /** What one race (or schedule) found. */
    record Judged(List<Finding> findings, Outcomes outcomes) {
        boolean holds() {
            return findings.stream().allMatch(Finding::holds);
        }
    }

    /** Races the invocations and says how each ended. */
    @FunctionalInterface
    interface Racing {
        Outcomes race() throws Exception;
    }

    private Round() {
    }

    static Judged run(Race.Action setup, List<Invariant> invariants, Racing racing) throws Exception {
        if (setup != null) setup.run();
        List<Invariant.Check> checks = new ArrayList<>();
        for (Invariant i : invariants) checks.add(i.start());
        Outcomes outcomes = racing.race();
        List<Finding> findings = new ArrayList<>();
        for (Invariant.Check c : checks) findings.add(c.finish(outcomes));
        return new Judged(findings, outcomes);
    }
}
