package dev.racelab.run;

import dev.racelab.json.Json;
import dev.racelab.history.HistoryFile;
import dev.racelab.history.WorkerReport;
import dev.racelab.core.Cell;
import dev.racelab.core.Clock;
import dev.racelab.scenario.Scenario;
import dev.racelab.store.StoreRoles;
import dev.racelab.strategy.Crashes;
import dev.racelab.strategy.ReadWriteGap;
import dev.racelab.strategy.StrategyContext;
import dev.racelab.strategy.StrategyInfo;
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
 * for GO on stdin (the start barrier), runs its load, writes its history and says DONE.
 * If stdin closes before it is done, the coordinator is gone and it stops.
 *
 * <p>Arguments: spec file, instance number, history file.
 */
public final class WorkerMain {
    static final String READY = "READY";
    static final String GO = "GO";
    static final String PROGRESS = "PROGRESS ";
    static final String DONE = "DONE";
    static final String ERROR = "ERROR ";

    private WorkerMain() {
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try {
            WorkerSpec spec = Json.MAPPER.readValue(Path.of(args[0]).toFile(), WorkerSpec.class);
            int instance = Integer.parseInt(args[1]);
            Path historyFile = Path.of(args[2]);
            run(spec, instance, historyFile, out);
            System.exit(0);
        } catch (Throwable e) {
            out.println(ERROR + oneLine(e));
            e.printStackTrace();
            System.exit(3);
        }
    }

    private static void run(WorkerSpec spec, int instance, Path historyFile, PrintStream out) throws Exception {
        RunSpec run = spec.run();
        Scenario scenario = run.scenarioModel();
        StrategyInfo info = run.strategyInfo();
        try (RunStores opened = RunStores.open(spec.stores(), info.layout(), spec.poolSize())) {
            StoreRoles stores = opened.roles();
            LoadLoop loop = new LoadLoop(scenario, spec.prefix(), instance,
                    info.create(context(run, stores, run.crashes())), Clock.SYSTEM, stores.cells().multiplexed());
            if (run.warmup().isPositive()) warmUp(spec, instance, scenario, info, stores);

            CountDownLatch go = new CountDownLatch(1);
            CountDownLatch finished = new CountDownLatch(1);
            watchStdin(go, finished);
            out.println(READY);
            go.await();

            Thread progress = Thread.ofPlatform().daemon().start(() -> reportProgress(loop, finished, out));
            WorkerReport report = loop.run(run.threads(), run.iterations());
            HistoryFile.write(historyFile, report);
            finished.countDown();
            progress.join();
            out.println(DONE);
        }
    }

    private static StrategyContext context(RunSpec run, StoreRoles stores, int crashes) {
        return new StrategyContext(stores, run.retry(), Clock.SYSTEM, StrategyContext.THREAD_SAFE_RANDOM,
                ReadWriteGap.sleeping(Clock.SYSTEM, run.think()), new Crashes(crashes));
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
        stores.cellStore().createCells(cells);
        try {
            new LoadLoop(scenario, prefix, instance, info.create(context(run, stores, 0)), Clock.SYSTEM, stores.cells().multiplexed())
                    .warmUp(run.threads(), run.warmup());
        } finally {
            RunCleanup.remove(prefix, cells, scenario, info, stores);
        }
    }

    private static void watchStdin(CountDownLatch go, CountDownLatch finished) {
        Thread.ofPlatform().daemon().name("racelab-stdin").start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (GO.equals(line.trim())) go.countDown();
                }
            } catch (Exception ignored) {
                // treated like end of input below
            }
            if (finished.getCount() > 0) {
                System.err.println("racelab worker: the coordinator went away; stopping");
                Runtime.getRuntime().halt(4);
            }
        });
    }

    private static void reportProgress(LoadLoop loop, CountDownLatch finished, PrintStream out) {
        try {
            while (!finished.await(250, TimeUnit.MILLISECONDS)) out.println(PROGRESS + loop.completed());
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
