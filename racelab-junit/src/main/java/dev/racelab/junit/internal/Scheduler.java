package dev.racelab.junit.internal;

import dev.racelab.core.Status;
import dev.racelab.internal.check.Overlap;
import dev.racelab.junit.Invocation;
import dev.racelab.junit.Outcomes;
import dev.racelab.junit.Race;
import dev.racelab.internal.sqlwait.LockWaits;
import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;

/**
 * Runs one schedule: each invocation on its own thread, held before every JDBC step until the
 * schedule lets it go, one step at a time. Before each decision every invocation has settled:
 * it waits at its next step, has returned, or is inside a step that the server's lock-wait view
 * (or the pool) shows blocked. The schedule then goes on with the others, as PostgreSQL's
 * isolationtester does. Nothing settles by timing: a stretch that does not settle within the
 * timeout is cut off and its invocation counts UNKNOWN.
 */
final class Scheduler {
    /** The invocation whose thread this is, while a schedule runs. */
    static final ThreadLocal<Turn> CURRENT = new ThreadLocal<>();

    private static final long POLL_MS = 2;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    enum State { JAVA, PARKED, GRANTED, IN_STEP, DONE }

    /** One invocation in the schedule. Guarded by the scheduler's lock. */
    final class Turn {
        final int index;
        State state = State.JAVA;
        String step;
        /** The transaction the step runs in, numbered when it is granted. */
        Transaction tx = Transaction.NONE;
        boolean getConnection;
        long session = -1;
        Statement statement;
        int steps;
        boolean blocked;
        /** The current step was seen waiting at least once: its completion is an event of its own. */
        boolean waited;
        boolean cutOff;
        /** Past the start barrier: from here a wait on a Java lock is the code under test's own. */
        volatile boolean started;
        /** Waiting on a Java monitor or lock (the wait already noted as an event). */
        boolean javaWaiting;
        /** The connections it took through racelab, open until it closes them: closed for it when it is cut off. */
        final List<Connection> connections = new ArrayList<>();
        /** The schedule's step number of its first grant and of its return: its span, for the overlap. */
        long firstSeq = -1;
        long doneSeq = -1;
        Status status;
        Thread thread;

        Turn(int index) {
            this.index = index;
        }

        Scheduler scheduler() {
            return Scheduler.this;
        }

        String name() {
            return "invocation " + (index + 1);
        }
    }

    /** A JDBC call that reaches the database. */
    @FunctionalInterface
    interface Call<T> {
        T call() throws SQLException;
    }

    private final Object lock = new Object();
    private final List<Turn> turns = new ArrayList<>();
    private final List<String> events = new ArrayList<>();
    private final LockWaits waits;
    private final Connection monitor;
    private final PoolWatch pool;
    private final Duration timeout;
    private final Choices choices;
    private final Failures failures;
    private long changes;
    private long seq;
    private int transactions;
    /** The order of grants, waits, completions and returns by invocation: equal for two runs that went the same way. */
    private final List<String> signature = new ArrayList<>();
    private int granted;
    /** The invocation that took the last step. */
    private Turn last;
    private boolean freeRun;
    /** An invocation cut off in its own Java code before its first step, while another waited at one. */
    private String stuckBeforeFirstStep;

    Scheduler(int invocations, LockWaits waits, Connection monitor, PoolWatch pool, Duration timeout, Choices choices, Failures failures) {
        for (int i = 0; i < invocations; i++) turns.add(new Turn(i));
        this.waits = waits;
        this.monitor = monitor;
        this.pool = pool;
        this.timeout = timeout;
        this.choices = choices;
        this.failures = failures;
    }

    /** Called by the JDBC proxy on an invocation's thread: waits for the schedule's turn, then makes the call. */
    <T> T step(Turn t, Transaction where, String text, boolean getConnection, long session, Statement statement, Call<T> call)
            throws SQLException {
        synchronized (lock) {
            if (!freeRun && !t.cutOff) {
                t.state = State.PARKED;
                t.tx = where;
                t.step = text;
                t.getConnection = getConnection;
                t.session = session;
                changed();
                while (t.state == State.PARKED && !freeRun && !t.cutOff) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new SQLException("racelab cut off " + t.name() + " before its step: " + text);
                    }
                }
            }
            t.state = State.IN_STEP;
            t.step = text;
            t.getConnection = getConnection;
            t.session = session;
            t.statement = statement;
            changed();
        }
        try {
            return call.call();
        } catch (SQLException e) {
            synchronized (lock) {
                if (!freeRun) events.add("   " + t.name() + " fails: " + Failures.oneLine(sqlFailure(e)));
            }
            throw e;
        } finally {
            synchronized (lock) {
                if (t.waited && !freeRun && !t.cutOff) {
                    events.add("   " + t.name() + " completes " + text);
                    signature.add("c" + t.index);
                }
                t.blocked = false;
                t.waited = false;
                t.state = State.JAVA;
                t.statement = null;
                t.steps++;
                changed();
            }
        }
    }

    private static String sqlFailure(SQLException e) {
        return (e.getSQLState() == null ? "" : "SQLSTATE " + e.getSQLState() + " ") + e.getMessage();
    }

    /**
     * What the schedule did. {@code interleaved}: two invocations overlapped, one taking a step between the
     * other's first step and its return, however they ended. {@code signature}: the order of its steps by invocation.
     */
    record Run(Outcomes outcomes, List<String> events, int[] steps, String stuckBeforeFirstStep, boolean interleaved,
               List<String> signature) {
    }

    Run run(Race.Attempt op) throws InterruptedException {
        CyclicBarrier start = new CyclicBarrier(turns.size());
        for (Turn t : turns) {
            t.thread = new Thread(() -> invoke(t, op, start), "racelab-" + t.name().replace(' ', '-'));
            t.thread.setDaemon(true);
        }
        for (Turn t : turns) t.thread.start();
        try {
            while (true) {
                settle();
                List<Turn> runnable = runnable();
                if (runnable.isEmpty()) {
                    if (allEnded()) break;
                    awaitProgressWhileAllBlocked();
                    continue;
                }
                Turn next = runnable.size() == 1 ? runnable.getFirst() : pick(runnable);
                last = next;
                synchronized (lock) {
                    events.add(String.format("%3d. %s%s: %s", ++granted, next.name(), where(next.tx), next.step));
                    signature.add("g" + next.index);
                    seq++;
                    if (next.firstSeq < 0) next.firstSeq = seq;
                    next.state = State.GRANTED;
                    changed();
                }
            }
        } finally {
            synchronized (lock) {
                freeRun = true;
                changed();
            }
            for (Turn t : turns) {
                t.thread.join(timeout.toMillis());
                if (t.thread.isAlive()) {
                    t.thread.interrupt();
                    synchronized (lock) {
                        t.cutOff = true;
                    }
                }
            }
            for (Turn t : turns) if (t.cutOff) release(t);
        }
        List<Status> statuses = new ArrayList<>();
        int[] steps = new int[turns.size()];
        synchronized (lock) {
            List<Long> starts = new ArrayList<>();
            List<Long> ends = new ArrayList<>();
            for (Turn t : turns) {
                Status s = t.cutOff || t.status == null ? Status.UNKNOWN : t.status;
                statuses.add(s);
                steps[t.index] = t.steps;
                if (t.doneSeq >= 0 && !t.cutOff) {
                    starts.add(t.firstSeq);
                    ends.add(t.doneSeq);
                }
            }
            long overlapped = Overlap.overlapped(starts.stream().mapToLong(Long::longValue).toArray(),
                    ends.stream().mapToLong(Long::longValue).toArray());
            return new Run(new Outcomes(statuses), List.copyOf(events), steps, stuckBeforeFirstStep, overlapped >= 2,
                    List.copyOf(signature));
        }
    }

    /** Option 0 is the invocation that took the last step when it can go on; the others follow in index order. */
    private Turn pick(List<Turn> runnable) {
        int at = runnable.indexOf(last);
        int option = choices.choose(runnable.size(), at >= 0);
        if (at < 0) return runnable.get(option);
        if (option == 0) return runnable.get(at);
        List<Turn> others = new ArrayList<>(runnable);
        others.remove(at);
        return others.get(option - 1);
    }

    private void invoke(Turn t, Race.Attempt op, CyclicBarrier start) {
        CURRENT.set(t);
        Status status;
        String threw = null;
        try {
            start.await();
            t.started = true;
            boolean ok = op.run(new Invocation(t.index));
            status = ok ? Status.OK : Status.FAIL;
            if (!ok) {
                failures.refused();
                threw = "returned false (refused)";
            }
        } catch (Throwable e) {
            status = Status.FAIL;
            failures.add(e);
            threw = "threw " + Failures.describe(e);
        } finally {
            CURRENT.remove();
        }
        synchronized (lock) {
            t.status = status;
            t.state = State.DONE;
            if (!freeRun) {
                t.doneSeq = ++seq;
                if (t.firstSeq < 0) t.firstSeq = t.doneSeq;
                signature.add("d" + t.index);
            }
            if (!freeRun && !t.cutOff) events.add("   " + t.name() + (threw == null ? " returned" : " " + threw));
            changed();
        }
    }

    private void changed() {
        changes++;
        lock.notifyAll();
    }

    private List<Turn> runnable() {
        synchronized (lock) {
            return turns.stream().filter(t -> t.state == State.PARKED && !t.cutOff).toList();
        }
    }

    private boolean allEnded() {
        synchronized (lock) {
            return turns.stream().allMatch(t -> t.state == State.DONE || t.cutOff);
        }
    }

    /**
     * Waits until no invocation is running Java code or a step that is not blocked. A stretch that
     * makes no progress for the timeout is cut off.
     */
    private void settle() throws InterruptedException {
        long seen = -1;
        long deadline = 0;
        while (true) {
            List<Turn> inStep = new ArrayList<>();
            List<Turn> running = new ArrayList<>();
            long now;
            synchronized (lock) {
                for (Turn t : turns) {
                    if (t.cutOff) continue;
                    if (t.state == State.JAVA || t.state == State.GRANTED) running.add(t);
                    else if (t.state == State.IN_STEP) inStep.add(t);
                }
                if (changes != seen) {
                    seen = changes;
                    deadline = System.nanoTime() + timeout.toNanos();
                }
                now = changes;
            }
            boolean allBlocked = true;
            for (Turn t : inStep) if (!blockedNow(t, inStep)) allBlocked = false;
            running.removeIf(this::javaWaitNow);
            if (running.isEmpty() && allBlocked) return;
            synchronized (lock) {
                if (changes == now) lock.wait(POLL_MS);
                if (changes == now && System.nanoTime() > deadline) {
                    cutOff(running, inStep);
                }
            }
        }
    }

    /** Every invocation left is blocked: wait until the server lets one go (it breaks a deadlock), or the timeout. */
    private void awaitProgressWhileAllBlocked() throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Turn> inStep = new ArrayList<>();
            List<Turn> inJava = new ArrayList<>();
            long now;
            synchronized (lock) {
                for (Turn t : turns) {
                    if (t.cutOff) continue;
                    if (t.state == State.IN_STEP) inStep.add(t);
                    else if (t.state == State.JAVA) inJava.add(t);
                }
                now = changes;
            }
            for (Turn t : inStep) if (!blockedNow(t, inStep)) return;
            for (Turn t : inJava) if (!javaWaitNow(t)) return;
            synchronized (lock) {
                if (changes != now) return;
                lock.wait(POLL_MS);
                if (changes != now) return;
                if (System.nanoTime() > deadline) {
                    for (Turn t : inStep) {
                        events.add("   " + t.name() + " cut off by racelab: waited " + human(timeout) + " for "
                                + (t.getConnection ? "a connection from the pool" : "a lock") + ", and no other invocation could take a step meanwhile");
                        cut(t);
                    }
                    for (Turn t : inJava) {
                        events.add("   " + t.name() + " cut off by racelab: waited " + human(timeout) + " for a Java lock, and no other"
                                + " invocation could take a step meanwhile");
                        cut(t);
                    }
                    changed();
                    return;
                }
            }
        }
    }

    /**
     * Whether the turn is still in its step and the lock-wait view (or the pool) shows it blocked;
     * false as well when it moved on meanwhile, so the caller looks again. Notes a new wait as an event.
     */
    private boolean blockedNow(Turn t, List<Turn> inStep) {
        String text;
        long session;
        boolean getConnection;
        synchronized (lock) {
            if (t.state != State.IN_STEP) return false;
            text = t.step;
            session = t.session;
            getConnection = t.getConnection;
        }
        Optional<String> on = Optional.empty();
        if (getConnection) {
            int ours = (int) inStep.stream().filter(x -> x.getConnection).count();
            if (pool.exhausted(ours)) on = Optional.of("a connection (the pool has none left)");
        } else if (waits != null && session >= 0) {
            try {
                on = waits.blockers(monitor, session).map(this::holders);
            } catch (SQLException e) {
                on = Optional.empty();
            }
        }
        synchronized (lock) {
            if (t.state != State.IN_STEP || !text.equals(t.step)) return false;
            if (on.isPresent() && !t.blocked) {
                t.blocked = true;
                if (!t.waited) {
                    events.add("   " + t.name() + " waits for " + on.get() + ": " + text);
                    signature.add("w" + t.index);
                }
                t.waited = true;
            } else if (on.isEmpty()) {
                t.blocked = false;
            }
            return t.blocked;
        }
    }

    /**
     * Whether the turn, running its own Java code, waits on a Java monitor or lock ({@code synchronized}, a
     * ReentrantLock, a latch): it then takes no step until another invocation lets it go, as in a lock wait on the
     * server, so the schedule goes on with the others instead of waiting out the timeout. Notes a new wait as an event.
     * A wait on the scheduler's own lock is racelab's, not the code's.
     */
    private boolean javaWaitNow(Turn t) {
        if (!t.started) return false;
        Thread.State st = t.thread.getState();
        String on = null;
        if (st == Thread.State.BLOCKED || st == Thread.State.WAITING) {
            ThreadInfo info = THREADS.getThreadInfo(t.thread.threadId());
            LockInfo li = info == null ? null : info.getLockInfo();
            if (li != null && li.getIdentityHashCode() != System.identityHashCode(lock)) {
                String type = li.getClassName().substring(li.getClassName().lastIndexOf('.') + 1);
                on = (st == Thread.State.BLOCKED ? "the monitor of " + (type.matches("[AEIOU].*") ? "an " : "a ") + type : "a Java lock (" + type + ")") + javaOwner(info.getLockOwnerId());
            }
        }
        synchronized (lock) {
            if (t.state != State.JAVA || t.cutOff) {
                t.javaWaiting = false;
                return false;
            }
            if (on != null && !t.javaWaiting) {
                events.add("   " + t.name() + " waits for " + on);
                signature.add("j" + t.index);
            }
            t.javaWaiting = on != null;
            return t.javaWaiting;
        }
    }

    private String javaOwner(long threadId) {
        if (threadId < 0) return "";
        for (Turn x : turns) if (x.thread != null && x.thread.threadId() == threadId) return " held by " + x.name();
        return "";
    }

    /** "a lock held by invocation 1", or "a lock" where the server names no holder (MariaDB). */
    private String holders(List<Long> sessions) {
        List<String> names = new ArrayList<>();
        synchronized (lock) {
            for (long s : sessions) {
                String name = "server session " + s;
                for (Turn t : turns) if (t.session == s) name = t.name();
                names.add(name);
            }
        }
        return names.isEmpty() ? "a lock" : "a lock held by " + String.join(", ", names);
    }

    /** Called with the lock held: the stretches that made no progress within the timeout. */
    private void cutOff(List<Turn> running, List<Turn> inStep) {
        boolean othersWait = turns.stream().anyMatch(x -> x.state == State.PARKED);
        for (Turn t : running) {
            if (t.state != State.JAVA && t.state != State.GRANTED) continue;
            if (t.steps == 0 && t.state == State.JAVA && othersWait && stuckBeforeFirstStep == null) {
                stuckBeforeFirstStep = t.name() + " ran " + human(timeout) + " without returning and without one JDBC call through the"
                        + " DataSource that race.interleave(...) returned, while " + parkedNames() + " waited at its next step";
            }
            events.add("   " + t.name() + " cut off by racelab: ran " + human(timeout) + " of its own code without reaching its next JDBC step or returning");
            cut(t);
        }
        for (Turn t : inStep) {
            if (t.state != State.IN_STEP || t.blocked) continue;
            events.add("   " + t.name() + " cut off by racelab: its step neither finished nor waited on a lock within " + human(timeout)
                    + ": " + t.step);
            cut(t);
        }
        changed();
    }

    /** Ends what a cut-off invocation holds before the next schedule starts, so no row lock of it is left behind: see {@link CutOff}. */
    private void release(Turn t) {
        List<Connection> open;
        Statement st;
        synchronized (lock) {
            open = List.copyOf(t.connections);
            t.connections.clear();
            st = t.statement;
        }
        CutOff.end(st, open, pool);
    }

    /**
     * The transaction a step runs in, as the schedule prints it after the invocation: numbered in the order their first
     * steps are granted, so "transaction 1" is the one that began first.
     */
    interface Transaction {
        /** A step outside any transaction's statements: taking a connection. */
        Transaction NONE = next -> 0;
        /** A statement in auto-commit mode: a transaction of its own. */
        Transaction AUTOCOMMIT = next -> -1;

        /** Its number, drawing one from {@code next} the first time; 0 for none, -1 for auto-commit. */
        int number(java.util.function.IntSupplier next);
    }

    /** Called with the lock held, as the step is granted. */
    private String where(Transaction tx) {
        int n = tx.number(() -> ++transactions);
        return n == 0 ? "" : n < 0 ? ", autocommit" : ", transaction " + n;
    }

    /** Called by the JDBC proxy: a connection the invocation took through racelab, and when it closed it. */
    void opened(Turn t, Connection raw) {
        synchronized (lock) {
            t.connections.add(raw);
        }
    }

    void closed(Turn t, Connection raw) {
        synchronized (lock) {
            t.connections.remove(raw);
        }
    }

    private String parkedNames() {
        return String.join(", ", turns.stream().filter(x -> x.state == State.PARKED).map(Turn::name).toList());
    }

    private void cut(Turn t) {
        t.cutOff = true;
        Statement s = t.statement;
        if (s != null) {
            try {
                s.cancel();
            } catch (SQLException ignored) {
                // it may have ended meanwhile
            }
        }
        t.thread.interrupt();
    }

    static String human(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
