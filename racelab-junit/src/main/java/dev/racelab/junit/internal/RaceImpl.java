package dev.racelab.junit.internal;

import static dev.racelab.junit.internal.invariants.Words.count;
import static dev.racelab.junit.internal.invariants.Words.things;

import dev.racelab.junit.Contention;
import dev.racelab.junit.Finding;
import dev.racelab.junit.Invariant;
import dev.racelab.junit.Outcomes;
import dev.racelab.junit.Race;
import dev.racelab.junit.RaceResult;
import dev.racelab.junit.RaceTest;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/** The {@link Race} a {@link dev.racelab.junit.RaceTest} method gets: what it configures, then one run. */
public final class RaceImpl implements Race {
    private final RaceSettings settings;
    private Action setup;
    private Attempt op;
    private final List<Invariant> invariants = new ArrayList<>();
    private final ExtensionContext context;
    private InterleavedDataSource interleaved;
    /** The application's DataSource when the race interleaves one its code already holds (racelab-spring's bean). */
    private SwitchableDataSource switched;
    private RaceResult result;
    /** race.run() was called, whether it returned or threw: the extension then runs nothing more. */
    private boolean attempted;

    public RaceImpl(RaceSettings settings) {
        this(settings, null);
    }

    /**
     * @param context the test's context, for the {@link RaceHost}s; null where there is none
     */
    public RaceImpl(RaceSettings settings, ExtensionContext context) {
        this.settings = settings;
        this.context = context;
    }

    @Override
    public Race setup(Action setup) {
        notRunYet("setup");
        if (setup == null) throw new IllegalArgumentException("setup must not be null");
        this.setup = setup;
        return this;
    }

    @Override
    public Race op(Action op) {
        if (op == null) throw new IllegalArgumentException("op must not be null");
        return attempt(inv -> {
            op.run();
            return true;
        });
    }

    @Override
    public Race op(Op op) {
        if (op == null) throw new IllegalArgumentException("op must not be null");
        return attempt(inv -> {
            op.run(inv);
            return true;
        });
    }

    @Override
    public Race attempt(Attempt attempt) {
        notRunYet("op");
        if (attempt == null) throw new IllegalArgumentException("attempt must not be null");
        if (this.op != null) throw new IllegalStateException("race.op (or race.attempt) was already given: a race races one operation");
        this.op = attempt;
        return this;
    }

    @Override
    public Race expect(Invariant invariant) {
        notRunYet("expect");
        if (invariant == null) throw new IllegalArgumentException("invariant must not be null");
        invariants.add(invariant);
        return this;
    }

    @Override
    public DataSource interleave(DataSource dataSource) {
        notRunYet("interleave");
        if (dataSource == null) throw new IllegalArgumentException("dataSource must not be null");
        // A switchable DataSource is already in the application's code: racelab interleaves its target and
        // routes the switch to that only while the race runs, never to itself.
        SwitchableDataSource sw = dataSource instanceof SwitchableDataSource s ? s : null;
        DataSource raw = sw == null ? dataSource : sw.racelabTarget();
        if (interleaved != null) {
            if (interleaved.raw() == raw) return sw == null ? interleaved.proxy() : dataSource;
            throw new IllegalStateException("race.interleave was already called with another DataSource: a race interleaves one");
        }
        interleaved = new InterleavedDataSource(raw);
        switched = sw;
        return sw == null ? interleaved.proxy() : dataSource;
    }

    @Override
    public DataSource interleave() {
        notRunYet("interleave");
        if (context != null) {
            for (RaceHost host : RaceHost.all()) {
                var found = host.dataSource(context);
                if (found.isPresent()) return interleave(found.get());
            }
        }
        throw new ExtensionConfigurationException("race.interleave() found no DataSource of the application under test: it needs"
                + " racelab-spring in a Spring test; elsewhere pass the DataSource: race.interleave(dataSource)");
    }

    /** The host's switchable DataSource for this test, or null: none, or not one racelab can switch. */
    private SwitchableDataSource applicationDataSource() {
        if (context == null) return null;
        for (RaceHost host : RaceHost.all()) {
            try {
                var found = host.dataSource(context);
                if (found.isPresent()) return found.get() instanceof SwitchableDataSource s ? s : null;
            } catch (ExtensionConfigurationException noneToSwitch) {
                return null;
            }
        }
        return null;
    }

    boolean configured() {
        return op != null;
    }

    boolean ran() {
        return result != null || attempted;
    }

    @Override
    public RaceResult run() {
        if (result != null) return result;
        attempted = true;
        if (op == null) throw new ExtensionConfigurationException("the race has no operation: call race.op(...) before race.run()");
        if (invariants.isEmpty()) {
            throw new ExtensionConfigurationException("the race has no invariant: call race.expect(Invariant.sum(...)) (or floor, once,"
                    + " conserved, that) before it runs; a race without one proves nothing");
        }
        if (context != null) {
            for (RaceHost host : RaceHost.all()) host.beforeRace(context);
        }
        try {
            result = interleaved == null ? load() : interleavings();
        } catch (RuntimeException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the race was interrupted", e);
        } catch (Exception e) {
            throw new IllegalStateException("the race's setup or an invariant's read failed: " + Failures.describe(e), e);
        }
        return result;
    }

    private RaceResult load() throws Exception {
        // The application's own DataSource (racelab-spring's bean), when there is one: routed through racelab for the
        // race, only so that a cut-off invocation's statement and connections can be ended.
        SwitchableDataSource sw = applicationDataSource();
        InterleavedDataSource tracked = sw == null ? null : new InterleavedDataSource(sw.racelabTarget());
        LoadRunner runner = new LoadRunner(settings.threads(), settings.invocations(), settings.timeout(), op,
                tracked == null ? thread -> { } : tracked::release);
        Round.Judged j;
        if (tracked == null) {
            j = Round.run(setup, invariants, runner::race);
        } else {
            tracked.track();
            sw.racelabRouteTo(tracked.proxy());
            try {
                j = Round.run(setup, invariants, runner::race);
            } finally {
                sw.racelabRouteBack();
            }
        }
        Outcomes o = j.outcomes();
        long overlapped = runner.overlapped(o);
        long answered = runner.answered(o).size();
        long required = settings.requiredOverlap(runner.threads());
        String noun = answered == o.acknowledged() ? "acknowledged" : "answered";
        String which = answered == o.acknowledged() ? "acknowledged" : "answered (" + count(o.acknowledged()) + " acknowledged, "
                + count(answered - o.acknowledged()) + " refused)";
        Contention contention = new Contention(overlapped, answered, required, count(overlapped) + " of the " + things(answered, noun
                + " invocation") + " overlapped another " + noun + " one in time (at least " + count(required) + " needed"
                + (settings.minOverlapped() == RaceTest.AUTO ? ": the threads that ran, at most " + RaceSettings.DEFAULT_OVERLAP_CAP : "") + ")");
        RaceResult.Verdict verdict = verdict(j.findings(), contention);
        String head = verdict == RaceResult.Verdict.HARDLY_RAN
                ? hardlyRan(count(answered) + " of " + things(o.invocations(), "invocation") + " " + which + ", " + count(overlapped)
                        + " overlapped another " + noun + " one in time", required, "minOverlapped", j.findings())
                : verdictLine(j.findings());
        String race = things(settings.invocations(), "invocation") + " on " + things(runner.threads(), "thread");
        String message = head + "\n" + race + ": " + outcomes(o, runner.failures) + (tracked != null && o.unknown() > 0
                ? " racelab cancelled the unknown ones' statements and closed their connections before their threads went on." : "")
                + "\nContention: " + contention.sentence() + ".";
        return new RaceResult(verdict, j.findings(), o, List.of(), OptionalLong.empty(), 0, 0, 0, contention,
                runner.failures.groups(), message);
    }

    private RaceResult interleavings() throws Exception {
        if (switched == null) return schedules();
        switched.racelabRouteTo(interleaved.proxy());
        try {
            return schedules();
        } finally {
            switched.racelabRouteBack();
        }
    }

    private RaceResult schedules() throws Exception {
        ScheduleRunner runner = new ScheduleRunner(settings, interleaved, setup, invariants, op);
        ScheduleRunner.Explored e = runner.explore();
        ScheduleRunner.Ran shown = e.shown();
        List<Finding> findings = shown.judged().findings();
        boolean replay = settings.seed() != RaceTest.NONE;
        long required = replay ? 0 : settings.minInterleaved();
        Contention contention = new Contention(e.interleaved(), e.run(), required, count(e.interleaved()) + " of "
                + things(e.run(), "schedule") + " interleaved two invocations (" + (replay ? "not checked when replaying a seed"
                : "at least " + count(required) + " needed") + ")");
        RaceResult.Verdict verdict = e.failed() > 0 ? RaceResult.Verdict.FAIL
                : contention.enough() ? RaceResult.Verdict.PASS : RaceResult.Verdict.HARDLY_RAN;
        StringBuilder m = new StringBuilder(verdict == RaceResult.Verdict.HARDLY_RAN
                ? hardlyRan("in " + count(e.interleaved()) + " of " + things(e.run(), "schedule") + " did two invocations"
                        + " overlap", required, "minInterleaved", findings)
                : verdictLine(findings));
        String distinct = e.distinct() == e.run() ? "" : "; " + count(e.distinct()) + " of them distinct, as lock waits made some orders the same";
        if (e.failed() > 0) {
            m.append("\n").append(count(e.failed())).append(" of ").append(count(e.run())).append(e.run() == 1 ? " schedule" : " schedules")
                    .append(" broke an invariant (ran ").append(e.how()).append(distinct).append(").");
        } else {
            m.append("\nRan ").append(e.how()).append(distinct).append(e.run() == 1 ? "; every invariant held." : "; every invariant held in each.");
        }
        String which = e.failed() > 0 ? "The first failing schedule" : "The last schedule";
        m.append("\n").append(which).append(" (").append(shown.switches() == 1 ? "1 context switch" : shown.switches() + " context switches")
                .append(")").append(shown.seed().isPresent()
                ? ", seed " + shown.seed().getAsLong() + " (replay it with @RaceTest(seed = " + shown.seed().getAsLong() + ")):"
                : " (too many decisions to replay by one seed):");
        for (String line : shown.run().events()) m.append("\n").append(line);
        m.append("\n").append(things(settings.interleaved(), "invocation")).append(": ").append(outcomes(shown.judged().outcomes(), shown.failures()));
        if (shown.leftover() != 0) {
            m.append("\nThe seed named more decisions than this schedule had: the code under test took other steps than when the seed was printed.");
        }
        if (e.run() > 1) {
            m.append("\nAcross the ").append(things(e.run(), "schedule")).append(": ").append(count(e.acknowledged())).append(" acknowledged, ")
                    .append(count(e.failedInvocations())).append(" failed");
            String why = e.failures().summary();
            if (!why.isEmpty() && e.failedInvocations() > 0) m.append(" (").append(why).append(")");
            m.append(", ").append(count(e.unknown())).append(" unknown.");
        }
        m.append("\nContention: ").append(contention.sentence()).append(".");
        if (!e.note().isEmpty()) m.append("\n").append(e.note());
        Outcomes o = shown.judged().outcomes();
        return new RaceResult(verdict, findings, o, shown.run().events(), shown.seed(), e.run(), e.failed(), e.distinct(), contention,
                e.failures().groups(), m.toString());
    }

    private static RaceResult.Verdict verdict(List<Finding> findings, Contention contention) {
        if (!findings.stream().allMatch(Finding::holds)) return RaceResult.Verdict.FAIL;
        return contention.enough() ? RaceResult.Verdict.PASS : RaceResult.Verdict.HARDLY_RAN;
    }

    /** "FAIL: the race hardly ran: 6 of 400 invocations acknowledged, 2 overlapped ...; this test needs at least 8 ...". */
    private static String hardlyRan(String measured, long required, String attribute, List<Finding> findings) {
        return "FAIL: the race hardly ran: " + measured + "; this test needs at least " + count(required) + " (lower it with @RaceTest("
                + attribute + " = ...) if this race cannot overlap more). The invariants held, but so little raced that they were"
                + " hardly tested: " + String.join("; ", findings.stream().map(Finding::sentence).toList()) + ".";
    }

    /** "FAIL: sum of balance (expected 20, actual 10, lost 10): 10 of the 20 ... lost updates." and the other findings. */
    static String verdictLine(List<Finding> findings) {
        List<String> failed = findings.stream().filter(f -> !f.holds()).map(Finding::sentence).toList();
        if (!failed.isEmpty()) return "FAIL: " + String.join("; ", failed) + ".";
        return "PASS: " + String.join("; ", findings.stream().map(Finding::sentence).toList()) + ".";
    }

    private String outcomes(Outcomes o, Failures failures) {
        String why = failures.summary();
        return count(o.acknowledged()) + " acknowledged, " + count(o.failed()) + " failed" + (why.isEmpty() || o.failed() == 0 ? "" : " (" + why + ")")
                + ", " + count(o.unknown()) + " unknown" + (o.unknown() > 0
                ? "; the unknown ones ran past the " + Scheduler.human(settings.timeout()) + " timeout, so they may or may not have landed" : "")
                + ".";
    }

    private void notRunYet(String what) {
        if (result != null) throw new IllegalStateException("race." + what + " after the race ran: configure the race before race.run()");
    }
}
