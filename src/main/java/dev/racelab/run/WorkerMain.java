package dev.racelab.run;

import dev.racelab.core.Cell;
import dev.racelab.core.Clock;
import dev.racelab.scenario.Scenario;
import dev.racelab.scenario.Scenarios;
import dev.racelab.store.Capability;
import dev.racelab.store.Store;
import dev.racelab.store.Stores;
import dev.racelab.store.Layout;
import dev.racelab.strategy.Crashes;
import dev.racelab.strategy.ReadWriteGap;
import dev.racelab.strategy.ReserveConfirmStrategy;
import dev.racelab.strategy.Strategies;
import dev.racelab.strategy.StrategyContext;
import dev.racelab.strategy.StrategyInfo;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashSet;
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
        Scenario scenario = Scenarios.create(run.scenario(), run.options());
        StrategyInfo info = Strategies.get(run.strategy());
        try (Store store = Stores.open(spec.address(), info.layout(), spec.poolSize());
             Store logStore = spec.logAddress() == null ? null : Stores.open(spec.logAddress(), Layout.KEYED, spec.poolSize())) {
            StrategyContext ctx = new StrategyContext(store, logStore == null ? store : logStore, run.retry(), Clock.SYSTEM,
                    StrategyContext.THREAD_SAFE_RANDOM, ReadWriteGap.sleeping(Clock.SYSTEM, run.think()), new Crashes(run.crashes()));
            LoadLoop loop = new LoadLoop(scenario, spec.prefix(), instance, info.create(ctx), Clock.SYSTEM, store.multiplexed());
            if (run.warmup().isPositive()) warmUp(spec, instance, scenario, store, logStore);

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

    /**
     * The same load, unrecorded, on scratch cells under a prefix of this instance's own, which
     * are removed afterwards. The strategy is a fresh one with no crashes to inject, so the
     * measured run still gets all of its --crash-between-steps.
     */
    private static void warmUp(WorkerSpec spec, int instance, Scenario scenario, Store store, Store logStore)
            throws InterruptedException {
        RunSpec run = spec.run();
        // Not under the run's prefix: nothing the warm-up leaves can be counted by the run's checks or sweeps.
        String prefix = "warmup-" + instance + "-" + spec.prefix();
        Store log = logStore == null ? store : logStore;
        StrategyContext ctx = new StrategyContext(store, log, run.retry(), Clock.SYSTEM,
                StrategyContext.THREAD_SAFE_RANDOM, ReadWriteGap.sleeping(Clock.SYSTEM, run.think()), new Crashes(0));
        store.createCells(scenario.cells(prefix));
        try {
            new LoadLoop(scenario, prefix, instance, Strategies.get(run.strategy()).create(ctx), Clock.SYSTEM, store.multiplexed())
                    .warmUp(run.threads(), run.warmup());
        } finally {
            store.deleteCells(scenario.cells(prefix).stream().map(Cell::key).toList());
            for (Store s : new LinkedHashSet<>(List.of(store, log))) {
                if (s.capabilities().contains(Capability.GUARD_ROW)) s.deleteGuards(prefix);
            }
            if (Strategies.get(run.strategy()).recovery() != null) store.deleteGuards(ReserveConfirmStrategy.RESERVATION + prefix);
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
