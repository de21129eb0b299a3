package dev.racelab.junit.internal;

import static dev.racelab.junit.internal.invariants.Words.count;

import dev.racelab.junit.Invariant;
import dev.racelab.junit.Race;
import dev.racelab.junit.RaceTest;
import dev.racelab.internal.sqlwait.LockWaits;
import java.sql.Connection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * Interleaving mode: runs the invocations through their schedules, each from a fresh setup. When
 * the first schedule's steps make no more interleavings than the bound, all of them, depth first
 * (two invocations of k and m steps make C(k+m, k)); else a random sample of the bound's size.
 * With a seed, only the schedule it names.
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
    record Ran(Round.Judged judged, Scheduler.Run run, OptionalLong seed, long leftover, Failures failures) {
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
            Choices first = Choices.depthFirst(List.of());
            Ran r = once(monitor, waits, first);
            requireSteps(r);
            long total = interleavings(r.run().steps());
            Tally tally = new Tally(r);
            if (total <= settings.schedules()) {
                Optional<List<Integer>> next = first.nextPrefix();
                while (next.isPresent() && tally.run < settings.schedules()) {
                    Choices c = Choices.depthFirst(next.get());
                    tally.add(once(monitor, waits, c));
                    next = c.nextPrefix();
                }
                String how = next.isPresent() ? "the first " + count(tally.run) + " schedules depth first (the bound; more exist)"
                        : "all " + count(tally.run) + " schedules";
                return tally.explored(how);
            }
            long sampleSeed = settings.sampleSeed() != RaceTest.NONE ? settings.sampleSeed() : new SplittableRandom().nextLong() & Long.MAX_VALUE;
            SplittableRandom random = new SplittableRandom(sampleSeed);
            Set<List<Integer>> seen = new HashSet<>();
            seen.add(first.taken());
            int attempts = 0;
            while (tally.run < settings.schedules() && attempts++ < settings.schedules() * 3) {
                Choices c = Choices.random(random);
                Ran next = once(monitor, waits, c);
                if (seen.add(c.taken())) tally.add(next);
            }
            return tally.explored("a random sample of " + count(tally.run) + " of the " + (total == Long.MAX_VALUE ? "too many to count"
                    : count(total)) + " schedules (sample seed " + sampleSeed + ")");
        }
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
                    unknown, note);
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
        return new Ran(judged, run[0], choices.seed(), choices.leftover(), failures);
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
