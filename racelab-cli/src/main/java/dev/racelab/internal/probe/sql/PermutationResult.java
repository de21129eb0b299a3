package dev.racelab.internal.probe.sql;

import java.util.List;
import java.util.Map;

/**
 * One permutation's run: the schedule as listed, what happened step by step (waits, deferred
 * and skipped steps), how each session ended, the check's values and the verdict.
 */
public record PermutationResult(int number, List<String> schedule, List<String> events, boolean reordered,
                                List<SessionOutcome> sessions, Map<String, Object> checkValues, boolean passed) {
    public PermutationResult {
        schedule = List.copyOf(schedule);
        events = List.copyOf(events);
        sessions = List.copyOf(sessions);
        checkValues = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(checkValues));
    }

    /** How a session ended: committed, rolled back by its own step, aborted by the server (with the SQLSTATE), or not run. */
    public record SessionOutcome(String session, String status, String sqlState, String failure, String failedStep, boolean waited) {
        /** The permutation listed none of the session's steps (or none reached the server): it committed nothing. */
        public static final String NOT_RUN = "not run";

        public boolean aborted() {
            return "aborted".equals(status);
        }

        public String describe() {
            return aborted() ? "aborted " + failure + " at " + failedStep : status;
        }
    }

    public String scheduleText() {
        return String.join(" ", schedule);
    }

    public boolean anyAborted() {
        return sessions.stream().anyMatch(SessionOutcome::aborted);
    }

    public boolean anyWaited() {
        return sessions.stream().anyMatch(SessionOutcome::waited);
    }

    public String checkText() {
        StringBuilder b = new StringBuilder();
        checkValues.forEach((k, v) -> b.append(b.isEmpty() ? "" : ", ").append(k).append(" = ").append(v == null ? "null" : v));
        return b.toString();
    }
}
