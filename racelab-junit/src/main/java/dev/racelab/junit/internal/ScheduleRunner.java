package dev.racelab.junit.internal;

import static dev.racelab.junit.internal.invariants.Words.count;

import dev.racelab.junit.Invariant;
import dev.racelab.junit.Race;
import dev.racelab.junit.RaceTest;
import dev.racelab.internal.sqlwait.LockWaits;
import java.sql.Connection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * Interleaving mode: runs the invocations through their schedules, each from a fresh setup, fewest
 * context switches first (the serial ones, then those with one switch, ...), up to the bound; two
 * invocations of k and m steps make C(k+m, k) in all. Among schedules with as many switches the order
 * is drawn from the sample seed, which decides the ones run when the bound cuts a level short. With a
 * seed, only the schedule it names.
 */
final class ScheduleRunner {
    private final RaceSettings settings;
    private final InterleavedDataSource ds;
    private final Race.Action setup;
    private final List<Invariant> invariants;
    private final Race.Attempt op;

    ScheduleRunner(RaceSettings settings, InterleavedDataSource ds, Race.Action setup, List<Invariant> invariants, Race.Attempt op) {
        this.settings = settings;
        this.ds = ds;
        this.setup = setup;
        this.invariants = invariants;
        this.op = op;
    }

    /** One schedule's run, judged. */
    record Ran(Round.Judged judged, Scheduler.Run run, OptionalLong seed, long leftover, Failures failures, int switches) {
    }

    /**
     * All the schedules run: how many, how many failed, the first failing (or the last) one, and how they were picked;
     * how many differed in the order their steps reached the database, how many interleaved two acknowledged
     * invocations, and why invocations failed across all of them.
     */
    record Explored(long run, long failed, Ran shown, String how, long distinct, long interleaved, Failures failures,
                    long acknowledged, long failedInvocations, long unknown, String note) {
    }

    /** What racelab set on the race's own transactions, for the message; empty for nothing. */
    private String note = "";
    /** Run as each invocation's transaction begins; null for nothing. */
    private String perTransaction;

    /** Why invocations failed, across every schedule run. */
    private final Failures total = new Failures();

    Explored explore() throws Exception {
        try (Connection monitor = ds.openMonitor()) {
            LockWaits waits = LockWaits.ofProduct(monitor.getMetaData().getDatabaseProductName()).orElse(null);
            shortDeadlockTimeout(monitor, waits);
            if (settings.seed() != RaceTest.NONE) {
                Ran r = once(monitor, waits, Choices.replay(settings.seed()));
                requireSteps(r);
                return new Tally(r).explored("the schedule of seed " + settings.seed());
            }
            Choices first = Choices.prefixed(List.of());
            Ran r = once(monitor, waits, first);
            requireSteps(r);
            long total = interleavings(r.run().steps());
            Tally tally = new Tally(r);
            // Fewest context switches first. Among schedules with as many: when all of them fit in the bound, in the order
            // they were found (so a run is the same each time); when not, in an order drawn from the sample seed, which
            // decides the ones run where the bound cuts a level short.
            boolean sampled = total > settings.schedules();
            long sampleSeed = settings.sampleSeed() != RaceTest.NONE ? settings.sampleSeed() : new SplittableRandom().nextLong() & Long.MAX_VALUE;
            SplittableRandom random = new SplittableRandom(sampleSeed);
            long[] found = {0};
            java.util.function.LongSupplier order = () -> sampled ? random.nextLong() : found[0]++;
            PriorityQueue<Pending> queue = new PriorityQueue<>(Comparator.comparingInt((Pending p) -> p.branch().switches())
                    .thenComparingLong(Pending::order));
            for (Choices.Branch b : first.branches(0)) queue.add(new Pending(b, order.getAsLong()));
            Map<Integer, Long> bySwitches = new TreeMap<>();
            bySwitches.merge(0, 1L, Long::sum);
            while (!queue.isEmpty() && tally.run < settings.schedules()) {
                Pending next = queue.poll();
                Choices c = Choices.prefixed(next.branch().prefix());
                tally.add(once(monitor, waits, c));
                bySwitches.merge(c.switches(), 1L, Long::sum);
                for (Choices.Branch b : c.branches(next.branch().prefix().size())) queue.add(new Pending(b, order.getAsLong()));
            }
            if (queue.isEmpty()) return tally.explored("all " + count(tally.run) + " schedules, fewest context switches first");
            if (!sampled) {
                return tally.explored("the first " + count(tally.run) + " schedules by fewest context switches (the bound; lock waits"
                        + " made the steps take other paths than the first schedule's, and more exist)");
            }
            int most = ((TreeMap<Integer, Long>) bySwitches).lastKey();
            String of = total == Long.MAX_VALUE ? "" : " of the " + count(total);
            return tally.explored("the first " + count(tally.run) + of + " schedules by fewest context switches: "
                    + (most == 0 ? "" : most == 1 ? "all with none, then " : "all with up to " + (most - 1) + ", then ") + count(bySwitches.get(most)) + " of those with "
                    + (most == 0 ? "none" : String.valueOf(most)) + ", picked by sample seed " + sampleSeed + " (@RaceTest(sampleSeed = "
                    + sampleSeed + ") picks the same ones; a larger schedules = ... runs more)");
        }
    }

    /** A schedule waiting to run, and its place among those with as many context switches. */
    private record Pending(Choices.Branch branch, long order) {
    }

    private final class Tally {
        long run = 1;
        long failed;
        long interleaved;
        long acknowledged;
        long failedInvocations;
        long unknown;
        final Set<List<String>> distinct = new HashSet<>();
        Ran shown;

        Tally(Ran first) {
            shown = first;
            if (!first.judged().holds()) failed = 1;
            count(first);
        }

        private void count(Ran r) {
            distinct.add(r.run().signature());
            if (r.run().interleaved()) interleaved++;
            acknowledged += r.judged().outcomes().acknowledged();
            failedInvocations += r.judged().outcomes().failed();
            unknown += r.judged().outcomes().unknown();
        }

        void add(Ran r) {
            run++;
            count(r);
            if (!r.judged().holds()) {
                if (failed == 0) shown = r;
                failed++;
            } else if (failed == 0) {
                shown = r;
            }
        }

        Explored explored(String how) {
            return new Explored(run, failed, shown, how, distinct.size(), interleaved, total, acknowledged, failedInvocations,
                    unknown, perTransaction != null && !ds.perTransactionRan ? "" : note);
        }
    }

    private Ran once(Connection monitor, LockWaits waits, Choices choices) throws Exception {
        Scheduler.Run[] run = new Scheduler.Run[1];
        Failures failures = new Failures(total);
        Round.Judged judged = Round.run(setup, invariants, () -> {
            Scheduler s = new Scheduler(settings.interleaved(), waits, monitor, PoolWatch.of(ds.raw()), settings.timeout(), choices, failures);
            ds.activate(s, waits, perTransaction);
            try {
                run[0] = s.run(op);
            } finally {
                ds.deactivate();
            }
            if (run[0].stuckBeforeFirstStep() != null) throw notThroughTheDataSource(run[0].stuckBeforeFirstStep());
            return run[0].outcomes();
        });
        return new Ran(judged, run[0], choices.seed(), choices.leftover(), failures, choices.switches());
    }

    /**
     * PostgreSQL waits deadlock_timeout (1 s by default) before it looks for a deadlock: each deadlocking schedule would
     * wait that long. When this role may set it (tried on the monitor connection, then reset), each invocation's
     * transaction sets a short one for itself with SET LOCAL, so the pool's connections keep their own.
     */
    private void shortDeadlockTimeout(Connection monitor, LockWaits waits) {
        long ms = settings.deadlockTimeout().toMillis();
        if (waits != LockWaits.POSTGRES || ms == 0) return;
        String value = "'" + ms + "ms'";
        try (java.sql.Statement s = monitor.createStatement()) {
            s.execute("SET deadlock_timeout = " + value);
            s.execute("RESET deadlock_timeout");
            perTransaction = "SET LOCAL deadlock_timeout = " + value;
            note = "racelab set deadlock_timeout to " + ms + " ms in each transaction of the invocations (SET LOCAL), so a"
                    + " deadlock ends at once; @RaceTest(deadlockTimeoutMillis = 0) keeps the server's.";
        } catch (java.sql.SQLException e) {
            note = "racelab kept the server's deadlock_timeout: this role may not set it (" + Failures.oneLine(e.getMessage())
                    + "), so each deadlocking schedule waits it out.";
        }
    }

    private void requireSteps(Ran r) {
        int steps = 0;
        for (int s : r.run().steps()) steps += s;
        if (steps == 0) {
            throw notThroughTheDataSource(count(settings.interleaved()) + " invocations ran and returned without one JDBC call through the"
                    + " DataSource that race.interleave(...) returned, so there is nothing to interleave");
        }
    }

    private static ExtensionConfigurationException notThroughTheDataSource(String what) {
        return new ExtensionConfigurationException("racelab cannot interleave this race: " + what + ". Build the code under test on"
                + " the wrapped DataSource (for example new AccountRepository(race.interleave(dataSource))), not on the DataSource"
                + " itself or a connection taken before the race; or, to race it by load, do not call race.interleave.");
    }

    /** (k1 + k2 + ...)! / (k1! k2! ...), saturating at Long.MAX_VALUE. */
    static long interleavings(int[] steps) {
        long total = 1;
        int placed = 0;
        for (int k : steps) {
            for (int i = 1; i <= k; i++) {
                placed++;
                if (total > Long.MAX_VALUE / placed) return Long.MAX_VALUE;
                total = total * placed / i;
            }
        }
        return total;
    }
}
