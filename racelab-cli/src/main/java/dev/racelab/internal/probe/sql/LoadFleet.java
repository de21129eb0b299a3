package dev.racelab.internal.probe.sql;

import dev.racelab.core.RunAbortedException;
import dev.racelab.core.UsageException;
import dev.racelab.internal.json.Json;
import dev.racelab.core.Clock;
import dev.racelab.internal.process.WorkerChild;
import dev.racelab.internal.process.WorkerState;
import dev.racelab.internal.process.WorkerEvents;
import dev.racelab.internal.process.WorkerJvm;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The worker JVMs of one load: started as racelab run starts its workers ({@link WorkerJvm}:
 * the same binary, class path and RACELAB_WORKER_OPTS) and spoken to by the same protocol
 * ({@link WorkerChild}), held at one start barrier until every one has connected, then released together. Progress goes to stderr every 2 seconds. A worker
 * that dies leaves no verdict: the transactions it had in flight may or may not have committed,
 * and the check cannot tell.
 */
final class LoadFleet {
    private static final long READY_TIMEOUT_MS = 120_000;
    private static final long PROGRESS_EVERY_MS = 2_000;

    private LoadFleet() {
    }

    /** One worker process: its child, and its tally file. */
    private record Worker(int instance, WorkerChild child, Path tally) {
        String name() {
            return "load worker " + instance + " (pid " + child.pid() + ")";
        }

        /** The worker's death as an exception: the spec's fault (exit 2) or no verdict (exit 3). */
        RuntimeException death(String when) {
            WorkerState s = child.state();
            if (s.usage() != null) return new UsageException(s.usage());
            if (s.error() != null) return new RunAbortedException(name() + " failed " + when + ": " + s.error());
            return new RunAbortedException(name() + " exited with code " + s.exitCode() + " " + when + "; its stderr ends with:\n"
                    + child.stderrTail());
        }
    }

    /** Runs the load; {@code label} names it in progress lines. */
    static List<WorkerTally> run(LoadWorkerSpec spec, String label, PrintWriter progress) {
        LoadPlan plan = spec.plan();
        List<Worker> all = new CopyOnWriteArrayList<>(); // the shutdown hook reads it too
        Thread killer = new Thread(() -> all.forEach(w -> w.child().kill()));
        WorkerEvents events = new WorkerEvents(Clock.SYSTEM);
        Path dir = null;
        try {
            dir = Files.createTempDirectory("racelab-probe-load-");
            Path specFile = dir.resolve("spec.json");
            Json.MAPPER.writeValue(specFile.toFile(), spec);
            Runtime.getRuntime().addShutdownHook(killer);
            for (int i = 0; i < plan.instances(); i++) {
                Path tally = dir.resolve("tally-" + i + ".json");
                Path err = dir.resolve("worker-" + i + ".err");
                List<String> cmd = WorkerJvm.command(LoadWorkerMain.class.getName(), plan.instances(),
                        List.of(specFile.toString(), Integer.toString(i), tally.toString()));
                all.add(new Worker(i, WorkerChild.start("load worker " + i, cmd, err, events.clock(), events.sink()), tally));
            }
            awaitReady(all, events);
            long start = events.clock().nanoTime();
            for (Worker w : all) w.child().go();
            awaitDone(all, events, plan, label, progress, start);
            List<WorkerTally> tallies = new ArrayList<>();
            for (Worker w : all) tallies.add(Json.MAPPER.readValue(w.tally.toFile(), WorkerTally.class));
            return tallies;
        } catch (IOException e) {
            throw new RunAbortedException("could not run the load workers: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunAbortedException("interrupted", e);
        } finally {
            all.forEach(w -> w.child().kill());
            try {
                Runtime.getRuntime().removeShutdownHook(killer);
            } catch (IllegalStateException | IllegalArgumentException ignored) {
                // the JVM is already shutting down, or the hook was never added
            }
            deleteQuietly(dir); // what a failure needs of it (a worker's stderr) is in the error's message
        }
    }

    private static void awaitReady(List<Worker> workers, WorkerEvents events) throws InterruptedException {
        long deadline = events.clock().nanoTime() + TimeUnit.MILLISECONDS.toNanos(READY_TIMEOUT_MS);
        switch (events.awaitReady(workers.stream().map(Worker::child).toList(), deadline)) {
            case WorkerEvents.AllReady ready -> {
            }
            case WorkerEvents.ExitedFirst exited -> {
                throw workers.stream().filter(w -> w.child() == exited.worker()).findFirst().orElseThrow().death("while connecting");
            }
            case WorkerEvents.TimedOut late ->
                    throw new RunAbortedException("the load workers were not ready after " + READY_TIMEOUT_MS / 1000 + " s");
        }
    }

    /** Waits until every worker has exited, waking on their events and at each progress line's time. */
    private static void awaitDone(List<Worker> workers, WorkerEvents events, LoadPlan plan, String label, PrintWriter progress,
            long start) throws InterruptedException {
        long every = TimeUnit.MILLISECONDS.toNanos(PROGRESS_EVERY_MS);
        long nextProgress = start + every;
        long lastCompleted = 0;
        long lastAt = start;
        while (true) {
            boolean allDone = true;
            for (Worker w : workers) {
                WorkerState s = w.child().state();
                if (!s.exited()) {
                    allDone = false;
                } else if (s.diedEarly()) {
                    throw w.death("mid-load: the transactions it had in flight may or may not have committed, so no verdict is possible");
                }
            }
            if (allDone) return;
            long now = events.clock().nanoTime();
            if (now - nextProgress >= 0 && progress != null) {
                long done = workers.stream().mapToLong(w -> w.child().state().completed()).sum();
                progress.printf(Locale.ROOT, "  %s: %,d / %,d transactions (%d%%), %,.0f/s now, %,.0f overall, %.0f s%n", label, done,
                        plan.planned(), done * 100 / plan.planned(), (done - lastCompleted) / ((now - lastAt) / 1e9),
                        done / ((now - start) / 1e9), (now - start) / 1e9);
                progress.flush();
                lastCompleted = done;
                lastAt = now;
            }
            if (now - nextProgress >= 0) nextProgress += every; // with no progress to print too, or the wait below would not wait
            events.next(nextProgress);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) return;
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }
}
