package dev.racelab.internal.run;

import dev.racelab.internal.json.Json;
import dev.racelab.internal.process.HoldMoment;
import dev.racelab.internal.process.WorkerChannel;
import dev.racelab.internal.history.Journal;
import java.util.HashMap;
import java.util.Map;
import dev.racelab.internal.history.WorkerReport;
import dev.racelab.core.Cell;
import dev.racelab.core.Clock;
import dev.racelab.internal.scenario.Scenario;
import dev.racelab.store.StoreRoles;
import dev.racelab.internal.strategy.Crashes;
import dev.racelab.internal.strategy.ReadWriteGap;
import dev.racelab.internal.strategy.StrategyContext;
import dev.racelab.internal.strategy.StrategyInfo;
import dev.racelab.internal.traits.Multiplexed;
import java.nio.file.Path;
import java.util.List;

/**
 * One instance: a separate JVM started by the coordinator, speaking the worker protocol through
 * {@link WorkerChannel}. It connects, says READY, waits for GO (the start barrier), runs its load
 * with its history streamed to its journal, and says DONE. A timed run's load ends when the
 * coordinator says STOP. On the nemesis's request (HOLD) its next operation to reach that moment
 * says HOLDING and waits for RELEASE.
 *
 * <p>Arguments: spec file, instance number, history file, and for a replacement of a killed
 * worker the sequence number each thread resumes at ({@code thread=seq,...}).
 */
public final class WorkerMain {
    private WorkerMain() {
    }

    public static void main(String[] args) {
        Sigint.ignoreInWorker(); // a terminal's Ctrl-C reaches the whole process group: the coordinator stops the workers
        WorkerChannel.main("racelab worker", channel -> {
            WorkerSpec spec = Json.MAPPER.readValue(Path.of(args[0]).toFile(), WorkerSpec.class);
            int instance = Integer.parseInt(args[1]);
            Path historyFile = Path.of(args[2]);
            Map<Integer, Long> resumeAt = args.length > 3 ? parseResume(args[3]) : Map.of();
            return run(spec, instance, historyFile, resumeAt, channel);
        });
    }

    /** "0=12,1=7": thread 0 resumes at sequence 12, thread 1 at 7. */
    static Map<Integer, Long> parseResume(String text) {
        Map<Integer, Long> resume = new HashMap<>();
        if (text.isBlank()) return resume;
        for (String pair : text.split(",")) {
            String[] kv = pair.split("=");
            resume.put(Integer.parseInt(kv[0]), Long.parseLong(kv[1]));
        }
        return resume;
    }

    static String formatResume(Map<Integer, Long> resume) {
        StringBuilder s = new StringBuilder();
        resume.forEach((thread, seq) -> s.append(s.isEmpty() ? "" : ",").append(thread).append('=').append(seq));
        return s.toString();
    }

    private static long run(WorkerSpec spec, int instance, Path historyFile, Map<Integer, Long> resumeAt, WorkerChannel channel)
            throws Exception {
        RunSpec run = spec.run();
        Scenario scenario = run.scenarioModel();
        StrategyInfo info = run.strategyInfo();
        try (RunStores opened = RunStores.open(spec.stores(), info.layout(), spec.poolSize())) {
            StoreRoles stores = opened.roles();
            boolean replacement = !resumeAt.isEmpty();
            Holds holds = new Holds(channel::holding);
            // A replacement injects no crashes of its own: the instance it replaces had them.
            LoadLoop loop = new LoadLoop(scenario, spec.prefix(), instance,
                    info.create(context(run, stores, replacement ? 0 : run.crashes(), holds)), Clock.SYSTEM,
                    Multiplexed.is(stores.cells()));
            if (run.warmup().isPositive() && !replacement) warmUp(spec, instance, scenario, info, stores);
            channel.commands(new WorkerChannel.Commands() {
                @Override
                public void stop() {
                    loop.stop();
                }

                @Override
                public void hold(HoldMoment moment) {
                    holds.request(moment);
                }

                @Override
                public void release() {
                    holds.release();
                }
            });
            try (Journal journal = Journal.create(historyFile, instance)) {
                channel.ready();
                // the strategy's figures into the journal as it goes, so a killed worker leaves them up to here;
                // then how far the journal is complete, so the coordinator checks it as the load runs
                Thread progress = channel.reportProgress(loop::completed, () -> {
                    journal.stats(loop.strategyStats());
                    journal.publishCommitted();
                });
                WorkerReport report = loop.run(run.threads(), run.iterations(), journal, holds, resumeAt);
                channel.loadOver();
                progress.join();
                journal.stats(report.stats());
                journal.summary(report.elapsedNanos(), report.errorCount(), report.firstError(), report.peakHeapBytes(),
                        report.liveHeapBytes());
            }
            return loop.completed();
        }
    }

    private static StrategyContext context(RunSpec run, StoreRoles stores, int crashes, Holds holds) {
        ReadWriteGap think = thinkAndBarrier(run);
        // Between read and write is where a lock strategy holds its lease: where pause-holder strikes.
        ReadWriteGap gap = holds == null ? think : () -> {
            holds.at(HoldMoment.BETWEEN_READ_AND_WRITE);
            think.pause();
        };
        return new StrategyContext(stores, run.retry(), Clock.SYSTEM, StrategyContext.THREAD_SAFE_RANDOM, gap,
                new Crashes(crashes), run.leaseTtl(), run.strategyOptionsOrDefault());
    }

    /** --think-ms, after the read barrier's rendezvous of this instance's threads when the run has one. */
    private static ReadWriteGap thinkAndBarrier(RunSpec run) {
        ReadWriteGap think = ReadWriteGap.sleeping(Clock.SYSTEM, run.think());
        int parties = Math.min(run.readBarrier(), run.threads());
        if (parties < 2) return think;
        ReadWriteGap barrier = ReadWriteGap.overlapping(parties, RunSpec.READ_BARRIER_TIMEOUT, Clock.SYSTEM,
                RunSpec.READ_BARRIER_LONE_ROUNDS);
        return () -> {
            barrier.pause();
            think.pause();
        };
    }

    /**
     * The same load, unrecorded, on scratch cells under a prefix of this instance's own, which
     * are removed afterwards. The strategy is a fresh one with no crashes to inject, so the
     * measured run still gets all of its --crash-between-steps.
     */
    private static void warmUp(WorkerSpec spec, int instance, Scenario scenario, StrategyInfo info, StoreRoles stores)
            throws InterruptedException {
        RunSpec run = spec.run();
        // Not under the run's prefix: nothing the warm-up leaves can be counted by the run's checks or sweeps.
        String prefix = "warmup-" + instance + "-" + spec.prefix();
        List<Cell> cells = scenario.cells(prefix);
        stores.cellStore().createCells(run.cellShape().stored(cells));
        try {
            new LoadLoop(scenario, prefix, instance, info.create(context(run, stores, 0, null)), Clock.SYSTEM, Multiplexed.is(stores.cells()))
                    .warmUp(run.threads(), run.warmup());
        } finally {
            RunCleanup.remove(prefix, cells, run.cellShape(), scenario, info, stores);
        }
    }

}
