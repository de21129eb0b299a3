package dev.racelab.internal.run;

import dev.racelab.internal.json.Json;
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
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One instance: a separate JVM started by the coordinator. It connects, says READY, waits
 * for GO on stdin (the start barrier), runs its load with its history streamed to its
 * journal, and says DONE. If stdin closes before it is done, the coordinator is gone and it
 * stops. A timed run's load ends when the coordinator says {@code STOP}. On the nemesis's request ({@code HOLD moment}) its next operation to reach that
 * moment says {@code HOLDING moment opId} and waits for {@code RELEASE}.
 *
 * <p>Arguments: spec file, instance number, history file, and for a replacement of a killed
 * worker the sequence number each thread resumes at ({@code thread=seq,...}).
 */
public final class WorkerMain {
    static final String READY = "READY";
    static final String GO = "GO";
    static final String PROGRESS = "PROGRESS ";
    static final String DONE = "DONE";
    static final String ERROR = "ERROR ";
    static final String HOLD = "HOLD ";
    static final String HOLDING = "HOLDING ";
    static final String RELEASE = "RELEASE";
    /** A timed run's deadline: finish the operations in flight, invoke no more. */
    static final String STOP = "STOP";
    /** The worker's wall clock, for a clock bound of its host: answered {@code CLOCK micros-since-the-epoch} at once. */
    static final String CLOCK = "CLOCK";
    static final String CLOCK_REPLY = "CLOCK ";
    /** Sent before GO to a worker on another host: after DONE it stays, answering CLOCK, until {@code BYE} (or its input ends, or 30 s). */
    static final String LINGER = "LINGER";
    static final String BYE = "BYE";
    private static final long LINGER_AT_MOST_SECONDS = 30;

    private WorkerMain() {
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        Sigint.ignoreInWorker();
        try {
            WorkerSpec spec = Json.MAPPER.readValue(Path.of(args[0]).toFile(), WorkerSpec.class);
            int instance = Integer.parseInt(args[1]);
            Path historyFile = Path.of(args[2]);
            Map<Integer, Long> resumeAt = args.length > 3 ? parseResume(args[3]) : Map.of();
            run(spec, instance, historyFile, resumeAt, out);
            System.exit(0);
        } catch (Throwable e) {
            out.println(ERROR + oneLine(e));
            e.printStackTrace();
            System.exit(3);
        }
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

    private static void run(WorkerSpec spec, int instance, Path historyFile, Map<Integer, Long> resumeAt, PrintStream out)
            throws Exception {
        RunSpec run = spec.run();
        Scenario scenario = run.scenarioModel();
        StrategyInfo info = run.strategyInfo();
        try (RunStores opened = RunStores.open(spec.stores(), info.layout(), spec.poolSize())) {
            StoreRoles stores = opened.roles();
            boolean replacement = !resumeAt.isEmpty();
            Holds holds = new Holds(what -> out.println(HOLDING + what));
            // A replacement injects no crashes of its own: the instance it replaces had them.
            LoadLoop loop = new LoadLoop(scenario, spec.prefix(), instance,
                    info.create(context(run, stores, replacement ? 0 : run.crashes(), holds)), Clock.SYSTEM,
                    stores.cells().multiplexed());
            if (run.warmup().isPositive() && !replacement) warmUp(spec, instance, scenario, info, stores);

            CountDownLatch go = new CountDownLatch(1);
            CountDownLatch finished = new CountDownLatch(1);
            java.util.concurrent.atomic.AtomicBoolean linger = new java.util.concurrent.atomic.AtomicBoolean();
            CountDownLatch bye = new CountDownLatch(1);
            watchStdin(go, finished, holds, loop, out, linger, bye);
            try (Journal journal = Journal.create(historyFile, instance)) {
                out.println(READY);
                go.await();
                Thread progress = Thread.ofPlatform().daemon().start(() -> reportProgress(loop, journal, finished, out));
                WorkerReport report = loop.run(run.threads(), run.iterations(), journal, holds, resumeAt);
                journal.stats(report.stats());
                journal.summary(report.elapsedNanos(), report.errorCount(), report.firstError(), report.peakHeapBytes(),
                        report.liveHeapBytes());
                finished.countDown();
                progress.join();
            }
            out.println(DONE);
            if (linger.get()) bye.await(LINGER_AT_MOST_SECONDS, TimeUnit.SECONDS); // the coordinator measures the clock once more
        }
    }

    private static StrategyContext context(RunSpec run, StoreRoles stores, int crashes, Holds holds) {
        ReadWriteGap think = thinkAndBarrier(run);
        // Between read and write is where a lock strategy holds its lease: where pause-holder strikes.
        ReadWriteGap gap = holds == null ? think : () -> {
            holds.at(Holds.Moment.BETWEEN_READ_AND_WRITE);
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
            new LoadLoop(scenario, prefix, instance, info.create(context(run, stores, 0, null)), Clock.SYSTEM, stores.cells().multiplexed())
                    .warmUp(run.threads(), run.warmup());
        } finally {
            RunCleanup.remove(prefix, cells, run.cellShape(), scenario, info, stores);
        }
    }

    private static void watchStdin(CountDownLatch go, CountDownLatch finished, Holds holds, LoadLoop loop, PrintStream out,
            java.util.concurrent.atomic.AtomicBoolean linger, CountDownLatch bye) {
        Thread.ofPlatform().daemon().name("racelab-stdin").start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    String command = line.trim();
                    if (GO.equals(command)) go.countDown();
                    else if (command.startsWith(HOLD)) holds.request(Holds.Moment.valueOf(command.substring(HOLD.length())));
                    else if (RELEASE.equals(command)) holds.release();
                    else if (STOP.equals(command)) loop.stop();
                    else if (CLOCK.equals(command)) out.println(CLOCK_REPLY + RemoteWorkers.nowMicros());
                    else if (LINGER.equals(command)) linger.set(true);
                    else if (BYE.equals(command)) bye.countDown();
                }
            } catch (Exception ignored) {
                // treated like end of input below
            }
            bye.countDown();
            if (finished.getCount() > 0) {
                System.err.println("racelab worker: the coordinator went away; stopping");
                Runtime.getRuntime().halt(4);
            }
        });
    }

    /** A progress line, and the strategy's figures into the journal, so a killed worker leaves them up to here. */
    private static void reportProgress(LoadLoop loop, Journal journal, CountDownLatch finished, PrintStream out) {
        try {
            while (!finished.await(250, TimeUnit.MILLISECONDS)) {
                out.println(PROGRESS + loop.completed());
                journal.stats(loop.strategyStats());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        out.println(PROGRESS + loop.completed());
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.replace('\n', ' ').replace('\r', ' ');
    }
}
