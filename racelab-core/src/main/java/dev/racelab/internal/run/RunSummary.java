package dev.racelab.internal.run;

import dev.racelab.internal.report.RunResult;
import dev.racelab.internal.check.GuardVerdict;
import dev.racelab.internal.check.Verdict;
import dev.racelab.core.FailReason;
import dev.racelab.core.StrategyStats;
import dev.racelab.internal.history.OpRecord;
import dev.racelab.internal.history.WorkerReport;
import dev.racelab.internal.scenario.Scenario;
import dev.racelab.internal.vocab.PassFail;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** Turns the workers' histories and the checker's verdict into one {@link RunResult}. */
public final class RunSummary {
    private RunSummary() {
    }

    /** A run whose histories are in its reports, in memory (a run in this process). */
    public static RunResult of(RunSpec spec, Scenario scenario, Verdict verdict, Coordinator.Workers workers) {
        long origin = Long.MAX_VALUE;
        for (WorkerReport report : workers.reports()) {
            for (OpRecord op : report.history()) origin = Math.min(origin, op.invokeNanos());
        }
        RunTally tally = new RunTally(origin);
        for (WorkerReport report : workers.reports()) report.history().forEach(tally::accept);
        return of(spec, scenario, verdict, workers, tally);
    }

    /** A run whose histories were tallied as they were read (from the workers' journals). */
    static RunResult of(RunSpec spec, Scenario scenario, Verdict verdict, Coordinator.Workers workers, RunTally tally) {
        List<WorkerReport> reports = workers.reports();
        GuardVerdict guards = verdict.guards();
        Histogram latencyMicros = tally.latencyMicros;
        long ok = tally.ok;
        long unknown = tally.unknown;
        long retries = tally.retries;
        long invoked = tally.invoked;
        long[] failed = tally.failed;
        SeriesBuilder series = tally.series;
        Map<String, Long> byReason = new LinkedHashMap<>();
        for (FailReason r : FailReason.values()) byReason.put(r.jsonKey(), failed[r.ordinal()]);
        Map<String, Long> rejected = new LinkedHashMap<>();
        for (FailReason r : FailReason.values()) {
            if (r.isRejection()) rejected.put(rejectionKey(scenario, r), failed[r.ordinal()]);
        }

        // A worker that died mid-run has no load time of its own; then the run's is the coordinator's clock.
        long elapsedNanos = workers.exits().isEmpty()
                ? reports.stream().mapToLong(WorkerReport::elapsedNanos).max().orElse(0) : workers.loadNanos();
        double seconds = elapsedNanos / 1e9;
        long errors = reports.stream().mapToLong(WorkerReport::errorCount).sum();
        StrategyStats stats = reports.stream().map(WorkerReport::stats).reduce(StrategyStats.NONE, StrategyStats::plus);
        String firstError = reports.stream().map(WorkerReport::firstError).filter(e -> !e.isEmpty()).findFirst().orElse("");
        return RunResult.builder()
                .scenario(spec.scenario()).store(spec.store()).strategy(spec.strategy()).instances(spec.instances()).threads(spec.threads())
                .iterations(spec.timedLoad() ? 0 : spec.iterations()).rows(spec.options().rows())
                .seconds(spec.timedLoad() ? spec.duration().toSeconds() : null)
                .planned(spec.timedLoad() ? invoked : spec.plannedOps()).invoked(invoked).ok(ok).failed(byReason).rejected(rejected)
                .unknown(unknown).retries(retries).errors(errors).firstError(firstError).batches(stats.meanBatch(), stats.maxBatch())
                .expected(verdict.expected()).actual(verdict.actual()).lostUpdates(verdict.lost()).phantomUpdates(verdict.phantom())
                .oversold(verdict.oversold()).orders(guards == null ? null : guards.rows()).recovered(guards == null ? null : guards.recovered())
                .vanishedCells(workers.vanished()).verdict(PassFail.of(verdict.pass())).explanation(verdict.explain())
                .durationMs(elapsedNanos / 1_000_000)
                .opsPerSec(seconds > 0 ? round(invoked / seconds, 1) : 0)
                .latencyMs(new RunResult.LatencyMs(ms(latencyMicros.getValueAtPercentile(50)),
                        ms(latencyMicros.getValueAtPercentile(95)), ms(latencyMicros.getValueAtPercentile(99)),
                        ms(latencyMicros.getMaxValue())))
                .series(series.build(elapsedNanos, latencyMicros))
                .peakHeapMb(reports.stream().mapToLong(WorkerReport::peakHeapBytes).max().orElse(0) / (1024 * 1024))
                .liveHeapMb(reports.stream().mapToLong(WorkerReport::liveHeapBytes).max().orElse(0) / (1024 * 1024))
                .killedWorkers((int) workers.exits().stream().filter(e -> e.cause().startsWith("the nemesis")).count())
                .workerExits(workers.exits()).faults(workers.faults())
                .build();
    }

    /** A floor refusal is "soldOut" where the floor is stock, "insufficientFunds" where it is a balance. */
    private static String rejectionKey(Scenario scenario, FailReason reason) {
        return reason == FailReason.FLOOR ? scenario.floorRefusal() : reason.jsonKey();
    }

    private static double ms(long micros) {
        return round(micros / 1000.0, 3);
    }

    private static double round(double v, int decimals) {
        double f = Math.pow(10, decimals);
        return Math.round(v * f) / f;
    }
}
