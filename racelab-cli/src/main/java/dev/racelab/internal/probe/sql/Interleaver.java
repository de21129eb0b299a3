package dev.racelab.internal.probe.sql;

import dev.racelab.core.Clock;
import dev.racelab.core.UsageException;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one permutation exactly as listed, as PostgreSQL's isolationtester does: each step is
 * sent by its session; a step that the server's lock-wait view shows blocked leaves its session
 * waiting, and the schedule goes on with the next step of a session that is not waiting. A
 * waiting session's own later steps run once its blocked step completes.
 */
final class Interleaver {
    private static final long POLL_MS = 1;

    private final SqlDialect dialect;
    private final Connection monitor;
    private final List<SessionRun> sessions;
    private final Duration stepTimeout;
    private final Clock clock;
    private final List<String> events = new ArrayList<>();
    private final Map<String, Object> reads = new LinkedHashMap<>();
    private final Map<String, Boolean> waited = new LinkedHashMap<>();
    /** What each waiting session waits for, as the lock-wait view named it. */
    private final Map<String, String> waitingFor = new LinkedHashMap<>();
    private boolean reordered;

    Interleaver(SqlDialect dialect, Connection monitor, List<SessionRun> sessions, Duration stepTimeout, Clock clock) {
        this.dialect = dialect;
        this.monitor = monitor;
        this.sessions = sessions;
        this.stepTimeout = stepTimeout;
        this.clock = clock;
    }

    /** What the schedule did; the caller runs the check on the data it left. */
    record Run(List<String> events, boolean reordered, Map<String, Object> reads, List<PermutationResult.SessionOutcome> outcomes) {
    }

    Run run(List<ProbeSpec.Step> schedule) throws Exception {
        for (SessionRun s : sessions) {
            s.reset();
            waited.put(s.name(), false);
        }
        LinkedList<ProbeSpec.Step> queue = new LinkedList<>(schedule);
        while (true) {
            ProbeSpec.Step next = nextRunnable(queue);
            if (next != null) {
                if (next != queue.getFirst()) reordered = true;
                queue.remove(next);
                issue(next);
                settleWaiters();
                continue;
            }
            if (sessions.stream().noneMatch(s -> s.waiting)) break;
            if (!releaseIdleBlockers()) awaitProgress();
            settleWaiters();
        }
        for (SessionRun s : sessions) finish(s);
        List<PermutationResult.SessionOutcome> outcomes = new ArrayList<>();
        for (SessionRun s : sessions) {
            String status = s.failure != null ? "aborted" : s.status == SessionRun.Status.ROLLED_BACK ? "rolled back"
                    : s.stepsRun == 0 ? PermutationResult.SessionOutcome.NOT_RUN : "committed";
            outcomes.add(new PermutationResult.SessionOutcome(s.name(), status, s.failure == null ? null : s.failure.sqlState(),
                    s.failure == null ? null : s.failure.label(), s.failedStep, waited.get(s.name())));
        }
        return new Run(events, reordered, reads, outcomes);
    }

    private ProbeSpec.Step nextRunnable(List<ProbeSpec.Step> queue) {
        for (ProbeSpec.Step step : queue) if (!session(step).waiting) return step;
        return null;
    }

    private void issue(ProbeSpec.Step step) throws Exception {
        SessionRun s = session(step);
        if (s.skipping) {
            events.add(step.id() + " skipped (" + s.name() + " was aborted)");
            if (!s.skipToEnd && step.statements().stream().anyMatch(SqlText::endsTransaction)) s.skipping = false;
            return;
        }
        events.add(step.id());
        s.submit(step);
        settle(s);
    }

    /** Waits until the session's step completes or the lock-wait view shows it blocked. */
    private void settle(SessionRun s) throws Exception {
        long deadline = clock.nanoTime() + stepTimeout.toNanos();
        while (true) {
            try {
                complete(s, s.pending.get(POLL_MS, TimeUnit.MILLISECONDS));
                return;
            } catch (TimeoutException stillRunning) {
                // look at the lock-wait view
            }
            java.util.Optional<List<Long>> blockers = dialect.lockWait(monitor, s.serverId);
            if (blockers.isPresent()) {
                if (!s.waiting) {
                    s.waiting = true;
                    waited.put(s.name(), true);
                    waitingFor.put(s.name(), describe(s, blockers.get()));
                    events.add(s.pendingStep.id() + " waits for " + waitingFor.get(s.name()));
                }
                return;
            }
            if (clock.nanoTime() > deadline) {
                timeOut(s, "neither finished nor waited on a lock within " + human(stepTimeout));
                return;
            }
        }
    }

    /** After every step: each waiting session whose lock was granted runs its step to the end (or to its next wait). */
    private void settleWaiters() throws Exception {
        boolean progress = true;
        while (progress) {
            progress = false;
            for (SessionRun s : sessions) {
                if (!s.waiting) continue;
                settle(s);
                if (!s.waiting) progress = true;
            }
        }
    }

    /** Every remaining step belongs to a waiting session: wait until the server lets one go (a deadlock is broken by it). */
    private void awaitProgress() throws Exception {
        long deadline = clock.nanoTime() + stepTimeout.toNanos();
        while (clock.nanoTime() < deadline) {
            for (SessionRun s : sessions) {
                if (s.waiting && s.pending.isDone()) {
                    settle(s);
                    return;
                }
            }
            clock.sleep(Duration.ofMillis(POLL_MS));
        }
        for (SessionRun s : sessions) {
            if (s.waiting) {
                timeOut(s, "waited " + human(stepTimeout) + " for " + waitingFor.getOrDefault(s.name(), "a lock")
                        + ", and no other step could run meanwhile");
            }
        }
    }

    /**
     * Nothing is runnable: a session that has run all its steps but left its transaction open
     * would hold its locks for good, so racelab ends it with ROLLBACK (the end of the schedule
     * would anyway). Returns whether it ended any.
     */
    private boolean releaseIdleBlockers() throws Exception {
        boolean released = false;
        for (SessionRun holder : sessions) {
            if (holder.waiting || !holder.inTransaction) continue;
            holder.runNow("ROLLBACK");
            holder.inTransaction = false;
            if (holder.failure == null) holder.status = SessionRun.Status.ROLLED_BACK;
            events.add("racelab rolled back " + holder.name() + " (its transaction was still open after its last step)");
            released = true;
        }
        return released;
    }

    private void complete(SessionRun s, SessionRun.StepResult r) throws Exception {
        ProbeSpec.Step step = s.pendingStep;
        boolean wasWaiting = s.waiting;
        s.pending = null;
        s.pendingStep = null;
        s.waiting = false;
        if (r.specError() != null) throw new UsageException(r.specError());
        if (wasWaiting) events.add(step.id() + " completes");
        r.read().forEach((column, value) -> reads.put(step.id().toLowerCase(java.util.Locale.ROOT) + "." + column, value));
        if (r.failure() == null) {
            if (r.ended() != null) s.status = r.ended();
            return;
        }
        s.failure = r.failure();
        s.failedStep = step.id();
        events.add(step.id() + " fails: " + r.failure().label() + " (" + r.failure().message() + ")");
        boolean wasInTransaction = s.inTransaction;
        if (!r.failedAtEnd()) {
            s.runNow("ROLLBACK");
            s.inTransaction = false;
            s.skipping = true;
            s.skipToEnd = !wasInTransaction;
        }
    }

    /** "500 ms", "30 s". */
    static String human(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private void timeOut(SessionRun s, String why) throws Exception {
        s.cancel();
        ProbeSpec.Step step = s.pendingStep;
        try {
            s.pending.get(stepTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException ignored) {
            // cancelled, as asked
        }
        s.pending = null;
        s.pendingStep = null;
        s.waiting = false;
        s.failure = new SqlFailure("57014", 0, SqlFailure.Kind.TIMED_OUT, why);
        s.failedStep = step.id();
        events.add(step.id() + " cancelled by racelab: " + s.failure.message());
        s.runNow("ROLLBACK");
        s.inTransaction = false;
        s.skipping = true;
        s.skipToEnd = true;
    }

    /** The end of the schedule: a transaction still open is rolled back, so the check sees only what was committed. */
    private void finish(SessionRun s) throws Exception {
        if (s.inTransaction) {
            s.runNow("ROLLBACK");
            s.inTransaction = false;
            if (s.failure == null) s.status = SessionRun.Status.ROLLED_BACK;
            events.add("racelab rolled back " + s.name() + " (its transaction was still open at the end)");
        }
    }

    /** The holders the server named; where it names none (MariaDB), the other sessions with a transaction open. */
    private String describe(SessionRun waiter, List<Long> blockers) {
        List<String> names = new ArrayList<>();
        for (long id : blockers) {
            SessionRun s = byServerId(id);
            names.add(s != null ? s.name() : "server session " + id + " (not this probe's)");
        }
        if (!names.isEmpty()) return String.join(", ", names);
        for (SessionRun s : sessions) if (s != waiter && s.inTransaction) names.add(s.name());
        return "a lock" + (names.isEmpty() ? "" : " (open transactions: " + String.join(", ", names) + ")");
    }

    private SessionRun byServerId(long id) {
        for (SessionRun s : sessions) if (s.serverId == id) return s;
        return null;
    }

    private SessionRun session(ProbeSpec.Step step) {
        for (SessionRun s : sessions) if (s.name().equals(step.session())) return s;
        throw new IllegalStateException("no session " + step.session());
    }
}
