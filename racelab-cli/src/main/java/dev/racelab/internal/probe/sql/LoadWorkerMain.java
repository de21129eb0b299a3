package dev.racelab.internal.probe.sql;

import dev.racelab.core.Clock;
import dev.racelab.core.FailReason;
import dev.racelab.core.Outcome;
import dev.racelab.core.UsageException;
import dev.racelab.internal.json.Json;
import dev.racelab.internal.process.WorkerChannel;
import dev.racelab.retry.Retrier;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * One instance of a probe sql load: a JVM started by {@link LoadFleet} as racelab run starts its
 * workers, speaking the same protocol ({@link WorkerChannel}). It opens one connection per thread
 * (in the workspace, at each session's level), says READY, waits for GO (the start barrier shared
 * by every instance), runs its threads, writes its {@link WorkerTally} and says DONE. If stdin
 * closes first, the coordinator is gone and it stops. A spec at fault (a variable no statement
 * read) says USAGE and exits 2: the coordinator reports it as a usage error.
 *
 * <p>Arguments: the worker spec (JSON), the instance number, the tally file to write.
 */
public final class LoadWorkerMain {
    private LoadWorkerMain() {
    }

    public static void main(String[] args) {
        WorkerChannel.main("racelab load worker", channel -> {
            LoadWorkerSpec spec = Json.MAPPER.readValue(Path.of(args[0]).toFile(), LoadWorkerSpec.class);
            int instance = Integer.parseInt(args[1]);
            LongAdder completed = new LongAdder();
            WorkerTally tally = run(spec, instance, channel, completed);
            Json.MAPPER.writeValue(Path.of(args[2]).toFile(), tally);
            return completed.sum();
        });
    }

    private static WorkerTally run(LoadWorkerSpec spec, int instance, WorkerChannel channel, LongAdder completed) throws Exception {
        LoadPlan plan = spec.plan();
        SqlDialect dialect = SqlDialect.ofUrl(spec.url());
        List<Worker> workers = new ArrayList<>();
        try {
            for (int t = 0; t < plan.threads(); t++) workers.add(new Worker(spec, dialect, instance, t));
            channel.ready();
            AtomicReference<Throwable> crash = new AtomicReference<>();
            List<Thread> threads = new ArrayList<>();
            long start = System.nanoTime();
            for (Worker w : workers) {
                threads.add(Thread.ofPlatform().name("racelab-load-" + instance + "-" + w.thread).start(() -> {
                    try {
                        w.load(completed);
                    } catch (Throwable e) {
                        crash.compareAndSet(null, e);
                    }
                }));
            }
            Thread progress = channel.reportProgress(completed::sum, () -> {
            });
            for (Thread t : threads) t.join();
            long elapsed = System.nanoTime() - start;
            channel.loadOver();
            progress.join();
            if (crash.get() instanceof UsageException u) throw u;
            if (crash.get() != null) throw new IllegalStateException("a load thread failed: " + oneLine(crash.get()), crash.get());
            return merge(instance, elapsed, workers, spec.sessions());
        } finally {
            for (Worker w : workers) w.close();
        }
    }

    /** One thread: its own connection per session (each at its level), its own counts. */
    private static final class Worker {
        final LoadWorkerSpec spec;
        final SqlDialect dialect;
        final int instance;
        final int thread;
        final Map<String, Connection> connections = new LinkedHashMap<>();
        final Map<String, long[]> counts = new LinkedHashMap<>(); // committed, rolled back, aborted, unknown
        final Map<String, Long> abortedByState = new LinkedHashMap<>();
        final Map<String, Long> abortedByKind = new LinkedHashMap<>();
        final Map<String, Long> retriedByState = new LinkedHashMap<>();
        final Histogram latency = new Histogram(3);
        long retries;
        long exhausted;
        String firstError;

        Worker(LoadWorkerSpec spec, SqlDialect dialect, int instance, int thread) throws SQLException {
            this.spec = spec;
            this.dialect = dialect;
            this.instance = instance;
            this.thread = thread;
            // One connection per isolation level the sessions ask for (usually one), so none needs a SET per transaction.
            for (ProbeSpec.Session s : spec.sessions()) {
                if (!connections.containsKey(levelKey(s))) connections.put(levelKey(s), open(s));
            }
            for (ProbeSpec.Session s : spec.sessions()) counts.put(s.name(), new long[4]);
        }

        private Connection open(ProbeSpec.Session s) throws SQLException {
            Connection c = DriverManager.getConnection(spec.url());
            try (Statement st = c.createStatement()) {
                st.execute(dialect.useWorkspace(spec.workspace()));
                if (s.isolation() != null) st.execute(dialect.setIsolation(s.isolation()));
            } catch (SQLException e) {
                c.close();
                throw e;
            }
            return c;
        }

        void load(LongAdder completed) throws SQLException {
            LoadPlan plan = spec.plan();
            Retrier retrier = new Retrier(plan.retry(), Clock.SYSTEM, ThreadLocalRandom.current());
            List<ProbeSpec.Session> sessions = spec.sessions();
            for (long i = 0; i < plan.iterations(); i++) {
                ProbeSpec.Session session = sessions.get(LoadPlan.sessionFor(instance, thread, i, plan.threads(), sessions.size()));
                List<TransactionRun.Attempt> attempts = new ArrayList<>();
                long start = System.nanoTime();
                Outcome outcome = retrier.run(() -> {
                    TransactionRun.Attempt a = new TransactionRun(connections.get(levelKey(session)), plan.stepTimeout()).run(session);
                    attempts.add(a);
                    return outcome(a, plan);
                });
                latency.recordValue(Math.max(1, (System.nanoTime() - start) / 1_000));
                record(session, attempts, outcome);
                completed.increment();
            }
        }

        /** Only the failures the plan retries are retryable: anything else ends the transaction as it is. */
        private static Outcome outcome(TransactionRun.Attempt a, LoadPlan plan) {
            return switch (a.status()) {
                case COMMITTED, ROLLED_BACK -> Outcome.ok();
                case UNKNOWN -> Outcome.unknown();
                case ABORTED -> {
                    RetryOn kind = RetryOn.covering(plan.retryOn(), a.failure());
                    yield Outcome.fail(kind == null ? FailReason.ERROR : kind.reason());
                }
            };
        }

        private void record(ProbeSpec.Session session, List<TransactionRun.Attempt> attempts, Outcome outcome) throws SQLException {
            for (int k = 0; k < attempts.size() - 1; k++) retriedByState.merge(attempts.get(k).failure().label(), 1L, Long::sum);
            retries += attempts.size() - 1;
            if (outcome.status() == dev.racelab.core.Status.FAIL && outcome.reason() == FailReason.CONFLICT_EXHAUSTED) exhausted++;
            TransactionRun.Attempt last = attempts.get(attempts.size() - 1);
            long[] c = counts.get(session.name());
            switch (last.status()) {
                case COMMITTED -> c[0]++;
                case ROLLED_BACK -> c[1]++;
                case ABORTED -> {
                    c[2]++;
                    abortedByState.merge(last.failure().label(), 1L, Long::sum);
                    abortedByKind.merge(kindKey(last.failure()), 1L, Long::sum);
                    if (!last.failure().isAbortForIsolation() && last.failure().kind() != SqlFailure.Kind.LOCK_TIMEOUT && firstError == null) {
                        firstError = last.failedStatement() + ": " + last.failure().label() + ": " + last.failure().message();
                    }
                }
                case UNKNOWN -> {
                    c[3]++;
                    if (firstError == null) firstError = last.failedStatement() + ": " + last.failure().label() + ": " + last.failure().message();
                    reconnect(session);
                }
            }
        }

        /** A broken connection is replaced; the transaction it was running counts as unknown. */
        private void reconnect(ProbeSpec.Session session) throws SQLException {
            try {
                connections.get(levelKey(session)).close();
            } catch (SQLException ignored) {
                // already broken
            }
            connections.put(levelKey(session), open(session));
        }

        private static String levelKey(ProbeSpec.Session s) {
            return s.isolation() == null ? "default" : s.isolation().name();
        }

        void close() {
            for (Connection c : connections.values()) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // closing after a broken connection
                }
            }
        }
    }

    /** The JSON key of a failure, as racelab run names its failures: serialization, deadlock, lockTimeout, ... */
    static String kindKey(SqlFailure f) {
        return switch (f.kind()) {
            case SERIALIZATION -> "serialization";
            case DEADLOCK -> "deadlock";
            case LOCK_TIMEOUT -> "lockTimeout";
            case SNAPSHOT_CONFLICT -> "snapshotConflict";
            case TIMED_OUT -> "timedOut";
            case ERROR -> "error";
        };
    }

    private static WorkerTally merge(int instance, long elapsed, List<Worker> workers, List<ProbeSpec.Session> sessions) {
        Map<String, WorkerTally.SessionCounts> bySession = new LinkedHashMap<>();
        for (ProbeSpec.Session s : sessions) bySession.put(s.name(), new WorkerTally.SessionCounts(0, 0, 0, 0));
        Map<String, Long> byState = new LinkedHashMap<>();
        Map<String, Long> byKind = new LinkedHashMap<>();
        Map<String, Long> retried = new LinkedHashMap<>();
        Histogram latency = new Histogram(3);
        long retries = 0;
        long exhausted = 0;
        String firstError = null;
        for (Worker w : workers) {
            w.counts.forEach((name, c) -> bySession.merge(name, new WorkerTally.SessionCounts(c[0], c[1], c[2], c[3]),
                    WorkerTally.SessionCounts::plus));
            w.abortedByState.forEach((k, v) -> byState.merge(k, v, Long::sum));
            w.abortedByKind.forEach((k, v) -> byKind.merge(k, v, Long::sum));
            w.retriedByState.forEach((k, v) -> retried.merge(k, v, Long::sum));
            latency.add(w.latency);
            retries += w.retries;
            exhausted += w.exhausted;
            if (firstError == null) firstError = w.firstError;
        }
        return new WorkerTally(instance, elapsed, bySession, byState, byKind, retried, retries, exhausted, firstError,
                WorkerTally.encode(latency));
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.replace('\n', ' ').replace('\r', ' ');
    }
}
