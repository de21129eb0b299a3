package dev.racelab.internal.isolation;

import dev.racelab.internal.probe.sql.PermutationResult;
import dev.racelab.internal.probe.sql.ProbeResult;

/**
 * One cell of the matrix, judged from the probe's permutations: the anomaly occurs when a
 * permutation fails its check; otherwise it is prevented by an abort (a session was rolled back
 * with this SQLSTATE), by blocking (a step waited on a lock), or with neither.
 */
public record Cell(String anomaly, String level, Verdict verdict, String sqlState, String schedule, String ran, String values) {
    public enum Verdict {
        OCCURS("occurs"),
        PREVENTED_BY_ABORT("prevented by abort"),
        PREVENTED_BY_BLOCKING("prevented by blocking"),
        PREVENTED("prevented");

        private final String words;

        Verdict(String words) {
            this.words = words;
        }

        @Override
        public String toString() {
            return words;
        }
    }

    static Cell judge(Anomaly anomaly, String level, ProbeResult result) {
        for (PermutationResult p : result.permutations()) {
            if (!p.passed()) return new Cell(anomaly.code(), level, Verdict.OCCURS, null, p.scheduleText(), String.join("; ", p.events()), p.checkText());
        }
        for (PermutationResult p : result.permutations()) {
            for (PermutationResult.SessionOutcome o : p.sessions()) {
                if (o.aborted()) {
                    return new Cell(anomaly.code(), level, Verdict.PREVENTED_BY_ABORT, o.sqlState(), p.scheduleText(),
                            String.join("; ", p.events()), p.checkText());
                }
            }
        }
        for (PermutationResult p : result.permutations()) {
            if (p.anyWaited()) {
                return new Cell(anomaly.code(), level, Verdict.PREVENTED_BY_BLOCKING, null, p.scheduleText(),
                        String.join("; ", p.events()), p.checkText());
            }
        }
        PermutationResult first = result.permutations().get(0);
        return new Cell(anomaly.code(), level, Verdict.PREVENTED, null, first.scheduleText(), String.join("; ", first.events()), first.checkText());
    }

    /** As the matrix prints it: "occurs", "abort 40001", "blocks", "prevented". */
    public String shortText() {
        return switch (verdict) {
            case OCCURS -> "occurs";
            case PREVENTED_BY_ABORT -> "abort " + sqlState;
            case PREVENTED_BY_BLOCKING -> "blocks";
            case PREVENTED -> "prevented";
        };
    }
}
