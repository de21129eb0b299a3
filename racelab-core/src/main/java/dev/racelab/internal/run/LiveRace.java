package dev.racelab.internal.run;

import dev.racelab.internal.check.HistoryChecker;
import dev.racelab.internal.check.Verdict;
import dev.racelab.core.Cell;
import dev.racelab.core.Clock;
import dev.racelab.core.FailReason;
import dev.racelab.core.NoSuchCellException;
import dev.racelab.core.StoreException;
import dev.racelab.internal.history.WorkerReport;
import dev.racelab.internal.report.Explainer;
import dev.racelab.internal.report.RunResult;
import dev.racelab.internal.scenario.Scenario;
import dev.racelab.store.StoreRoles;
import dev.racelab.internal.strategy.CellShape;
import dev.racelab.internal.strategy.Crashes;
import dev.racelab.internal.strategy.ReadWriteGap;
import dev.racelab.internal.strategy.StrategyContext;
import dev.racelab.internal.strategy.StrategyInfo;
import dev.racelab.internal.traits.Multiplexed;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.HdrHistogram.Histogram;

/**
 * One race of the live page, run in this process on the server's own store: the run's
 * {@link LoadLoop} (one instance, {@code concurrency} threads) on cells of its own under a fresh
 * prefix, watched by a {@link RaceMeter}, with a tick every {@link LiveRaces#TICK} that also
 * reads what the store holds. At the end the history goes to the same {@link HistoryChecker} and
 * {@link RunSummary} as every run, and the verdict's sentence is {@link Explainer}'s, word for
 * word what {@code racelab run} prints. The cells and rows are removed afterwards, whatever happened.
 */
public final class LiveRace {
    /** Where a race is. */
    public enum State {
        RUNNING, DONE, FAILED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final String id;
    private final LiveRaceSpec spec;
    private final RunSpec runSpec;
    private final StrategyInfo info;
    private final Scenario scenario;
    private final String prefix;
    private final long delta;
    private final long initial;
    private final long startedAtMillis = System.currentTimeMillis();
    private final List<LiveTick> ticks = new CopyOnWriteArrayList<>();
    private volatile State state = State.RUNNING;
    private volatile RunResult result;
    private volatile String sentence;
    private volatile String failure;
    private volatile boolean stoppedAtLimit;

    LiveRace(String id, LiveRaceSpec spec, RunSpec runSpec) {
        this.id = id;
        this.spec = spec;
        this.runSpec = runSpec;
        this.info = runSpec.strategyInfo();
        this.scenario = runSpec.scenarioModel();
        this.prefix = "live-" + id + "/";
        this.delta = scenario.operation(prefix, 0, 0, 0).changes().get(0).delta();
        this.initial = scenario.cells(prefix).get(0).value();
    }

    public String id() {
        return id;
    }

    public LiveRaceSpec spec() {
        return spec;
    }

    public State state() {
        return state;
    }

    public boolean running() {
        return state == State.RUNNING;
    }

    /** The ticks so far, oldest first; a finished race keeps them all. */
    public List<LiveTick> ticks() {
        return List.copyOf(ticks);
    }

    public int tickCount() {
        return ticks.size();
    }

    public LiveTick tick(int index) {
        return ticks.get(index);
    }

    /** The run's result once the race is done, else null. */
    public RunResult result() {
        return result;
    }

    /** The checker's sentence, as {@code racelab run} prints it, once done. */
    public String sentence() {
        return sentence;
    }

    /** Why the race could not finish (the store failed), or null. */
    public String failure() {
        return failure;
    }

    public long startedAtMillis() {
        return startedAtMillis;
    }

    /** What one operation adds to the cell: + an amount for a deposit, - the quantity for an order. */
    public long delta() {
        return delta;
    }

    public long initial() {
        return initial;
    }

    public String strategyHow() {
        return info.how();
    }

    public boolean safeStrategy() {
        return info.safe();
    }

    /** Whether the race hit {@link LiveRaces#MAX_DURATION} and stopped before its planned operations. */
    public boolean stoppedAtLimit() {
        return stoppedAtLimit;
    }

    /** Runs the race to its end; called once, on the race's own thread. */
    void run(StoreRoles stores, ReadWriteGap naiveGap, Clock clock, Duration tick, Duration limit) {
        List<Cell> cells = scenario.cells(prefix);
        CellShape shape = runSpec.cellShape();
        try {
            stores.cellStore().createCells(shape.stored(cells));
            try {
                race(stores, naiveGap, clock, tick, limit, cells, shape);
            } finally {
                RunCleanup.remove(prefix, cells, shape, scenario, info, stores);
            }
            state = State.DONE; // after the clean-up, so a race that is over has left nothing behind
        } catch (StoreException e) {
            failure = "the store failed: " + e.getMessage();
            state = State.FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = "the server is stopping";
            state = State.FAILED;
        } catch (RuntimeException e) {
            failure = e.getClass().getSimpleName() + ": " + e.getMessage();
            state = State.FAILED;
        }
    }

    private void race(StoreRoles stores, ReadWriteGap naiveGap, Clock clock, Duration tick, Duration limit, List<Cell> cells,
                      CellShape shape) throws InterruptedException {
        // Only the strategies that make no promise get the gap: a lock held across a rendezvous would only stall.
        ReadWriteGap gap = info.safe() ? ReadWriteGap.NONE : naiveGap;
        StrategyContext context = new StrategyContext(stores, runSpec.retry(), clock, StrategyContext.THREAD_SAFE_RANDOM, gap,
                Crashes.NONE, runSpec.leaseTtl(), runSpec.strategyOptionsOrDefault());
        RaceMeter meter = new RaceMeter(info.create(context), clock);
        LoadLoop loop = new LoadLoop(scenario, prefix, 0, meter, clock, Multiplexed.is(stores.cells()));
        String key = cells.get(0).key();
        long start = clock.nanoTime();
        Thread sampler = Thread.ofPlatform().daemon().name("racelab-live-" + id + "-ticks").start(() -> {
            long next = start + tick.toNanos();
            long lastDone = 0;
            long lastAt = start;
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    clock.sleep(Duration.ofNanos(Math.max(0, next - clock.nanoTime())));
                    long now = clock.nanoTime();
                    if (now - start > limit.toNanos() && !stoppedAtLimit) {
                        stoppedAtLimit = true;
                        loop.stop(); // the operations in flight finish; the verdict covers what ran
                    }
                    LiveTick t = sample(meter, stores, shape, key, now - start, lastDone, now - lastAt);
                    ticks.add(t);
                    lastDone = t.done();
                    lastAt = now;
                    next += tick.toNanos();
                }
            } catch (InterruptedException e) {
                // the load is over
            }
        });
        WorkerReport report;
        try {
            report = loop.run(spec.concurrency(), spec.perClient());
        } finally {
            sampler.interrupt();
            sampler.join();
        }
        long loadNanos = clock.nanoTime() - start;
        LiveTick last = ticks.isEmpty() ? null : ticks.get(ticks.size() - 1);
        ticks.add(sample(meter, stores, shape, key, loadNanos, last == null ? 0 : last.done(),
                loadNanos - (last == null ? 0 : Duration.ofMillis(last.ms()).toNanos())));

        FinalCells read = FinalCells.read(cells, shape, stores.cellStore());
        Map<String, Cell> finals = read.byKey();
        List<String> vanished = read.vanished();
        Set<String> rows = scenario.usesGuards() ? new HashSet<>(stores.guardStore().guards(prefix)) : null;
        Verdict verdict = HistoryChecker.check(cells, finals, scenario.floors(prefix), report.history(), rows, 0);
        RunResult r = RunSummary.of(runSpec, scenario, verdict,
                new Coordinator.Workers(List.of(report), List.of(), List.of(), loadNanos, vanished, 0, List.of()));
        String said = Explainer.sentence(r, info, scenario, null);
        if (stoppedAtLimit) {
            said += String.format(Locale.ROOT, " The race stopped at its limit of %d s after %,d of %,d planned operations:"
                    + " the verdict covers the %,d that ran.", limit.toSeconds(), r.invoked(), spec.planned(), r.invoked());
        }
        sentence = said;
        result = r;
    }

    /** The counters, then the stored value: read in that order, lost never counts an acknowledged write that is about to show. */
    private LiveTick sample(RaceMeter meter, StoreRoles stores, CellShape shape, String key, long elapsedNanos, long lastDone,
                            long intervalNanos) {
        int inFlight = meter.inFlight();
        long done = meter.done();
        long ok = meter.ok();
        long acknowledgedDelta = meter.acknowledgedDelta();
        Histogram latency = meter.takeInterval();
        long stored;
        try {
            stored = shape.read(stores.cellStore(), key).value();
        } catch (StoreException e) { // NoSuchCellException too
            stored = ticks.isEmpty() ? initial : ticks.get(ticks.size() - 1).stored(); // shown as it last was
        }
        long sign = Long.signum(delta);
        long lost = Math.max(0, sign * (acknowledgedDelta - (stored - initial)));
        long oversold = delta < 0 ? Math.max(0, -(initial + acknowledgedDelta)) : 0;
        long conflicts = 0;
        for (FailReason r : List.of(FailReason.CONFLICT, FailReason.CONFLICT_EXHAUSTED, FailReason.DEADLOCK, FailReason.SERIALIZATION,
                FailReason.LOCK_TIMEOUT, FailReason.FENCED)) {
            conflicts += meter.failed(r);
        }
        double seconds = intervalNanos / 1e9;
        return new LiveTick(elapsedNanos / 1_000_000, inFlight, done, ok, initial + acknowledgedDelta, stored, lost, oversold,
                meter.retries(), conflicts, meter.failed(FailReason.FLOOR), meter.unknown(), meter.errors() + meter.failed(FailReason.ERROR),
                seconds > 0 ? Math.round((done - lastDone) / seconds) : 0,
                ms(latency, 50), ms(latency, 99), latency.getTotalCount() == 0 ? 0 : latency.getMaxValue() / 1000.0);
    }

    private static double ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? 0 : Math.round(h.getValueAtPercentile(percentile) / 10.0) / 100.0;
    }
}
