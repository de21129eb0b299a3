package dev.racelab.internal.probe.sql;

import dev.racelab.core.RunAbortedException;
import dev.racelab.core.UsageException;
import dev.racelab.internal.json.Json;
import dev.racelab.internal.process.WorkerJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
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
 * the same binary, class path and RACELAB_WORKER_OPTS), held at one start barrier until every
 * one has connected, then released together. Progress goes to stderr every 2 seconds. A worker
 * that dies leaves no verdict: the transactions it had in flight may or may not have committed,
 * and the check cannot tell.
 */
final class LoadFleet {
    private static final long READY_TIMEOUT_MS = 120_000;
    private static final long PROGRESS_EVERY_MS = 2_000;

    private LoadFleet() {
    }

    /** One worker process and what it has said on stdout. */
    private static final class Worker {
        final int instance;
        final Process process;
        final Path tally;
        final Path err;
        volatile boolean ready;
        volatile boolean done;
        volatile long completed;
        volatile String error;
        volatile String usage;
        final Thread reader;

        Worker(int instance, Process process, Path tally, Path err) {
            this.instance = instance;
            this.process = process;
            this.tally = tally;
            this.err = err;
            this.reader = Thread.ofPlatform().daemon().name("racelab-load-worker-" + instance).start(this::readStdout);
        }

        private void readStdout() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.equals(LoadWorkerMain.READY)) ready = true;
                    else if (line.startsWith(LoadWorkerMain.PROGRESS)) completed = Long.parseLong(line.substring(LoadWorkerMain.PROGRESS.length()));
                    else if (line.equals(LoadWorkerMain.DONE)) done = true;
                    else if (line.startsWith(LoadWorkerMain.USAGE)) usage = line.substring(LoadWorkerMain.USAGE.length());
                    else if (line.startsWith(LoadWorkerMain.ERROR)) error = line.substring(LoadWorkerMain.ERROR.length());
                }
            } catch (IOException | NumberFormatException ignored) {
                // the process died; the fleet notices
            }
        }

        /** Whether a worker that has exited said DONE, once everything it wrote has been read. */
        boolean finishedCleanly() throws InterruptedException {
            reader.join(5_000);
            return done && process.exitValue() == 0;
        }

        String name() {
            return "load worker " + instance + " (pid " + process.pid() + ")";
        }

        void go() throws IOException {
            OutputStream in = process.getOutputStream();
            in.write((LoadWorkerMain.GO + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        }

        /** Stops the worker if it is still running: a wait left over from a fault, or the end of the run. */
        void kill() {
            if (process.isAlive()) process.destroyForcibly();
        }

        /** The worker's death as an exception: the spec's fault (exit 2) or no verdict (exit 3). */
        RuntimeException death(String when) {
            if (usage != null) return new UsageException(usage);
            if (error != null) return new RunAbortedException(name() + " failed " + when + ": " + error);
            return new RunAbortedException(name() + " exited with code " + process.exitValue() + " " + when + "; its stderr ends with:\n"
                    + tail(err));
        }
    }

    /** Runs the load; {@code label} names it in progress lines. */
    static List<WorkerTally> run(LoadWorkerSpec spec, String label, PrintWriter progress) {
        LoadPlan plan = spec.plan();
        List<Worker> all = new CopyOnWriteArrayList<>(); // the shutdown hook reads it too
        Thread killer = new Thread(() -> all.forEach(Worker::kill));
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
                all.add(new Worker(i, new ProcessBuilder(cmd).redirectError(err.toFile()).start(), tally, err));
            }
            awaitReady(all);
            long start = System.nanoTime();
            for (Worker w : all) w.go();
            awaitDone(all, plan, label, progress, start);
            List<WorkerTally> tallies = new ArrayList<>();
            for (Worker w : all) tallies.add(Json.MAPPER.readValue(w.tally.toFile(), WorkerTally.class));
            return tallies;
        } catch (IOException e) {
            throw new RunAbortedException("could not run the load workers: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunAbortedException("interrupted", e);
        } finally {
            all.forEach(Worker::kill);
            try {
                Runtime.getRuntime().removeShutdownHook(killer);
            } catch (IllegalStateException | IllegalArgumentException ignored) {
                // the JVM is already shutting down, or the hook was never added
            }
            deleteQuietly(dir); // what a failure needs of it (a worker's stderr) is in the error's message
        }
    }

    private static void awaitReady(List<Worker> workers) throws InterruptedException {
        long deadline = System.currentTimeMillis() + READY_TIMEOUT_MS;
        while (!workers.stream().allMatch(w -> w.ready)) {
            for (Worker w : workers) {
                if (!w.process.isAlive()) {
                    w.reader.join(5_000); // its last line may still be in flight
                    throw w.death("while connecting");
                }
            }
            if (System.currentTimeMillis() > deadline) {
                throw new RunAbortedException("the load workers were not ready after " + READY_TIMEOUT_MS / 1000 + " s");
            }
            Thread.sleep(20);
        }
    }

    private static void awaitDone(List<Worker> workers, LoadPlan plan, String label, PrintWriter progress, long start)
            throws InterruptedException {
        long nextProgress = start + TimeUnit.MILLISECONDS.toNanos(PROGRESS_EVERY_MS);
        long lastCompleted = 0;
        long lastAt = start;
        while (true) {
            boolean allDone = true;
            for (Worker w : workers) {
                if (w.process.isAlive()) {
                    allDone = false;
                } else if (!w.finishedCleanly()) {
                    throw w.death("mid-load: the transactions it had in flight may or may not have committed, so no verdict is possible");
                }
            }
            if (allDone) return;
            long now = System.nanoTime();
            if (now >= nextProgress && progress != null) {
                long done = workers.stream().mapToLong(w -> w.completed).sum();
                progress.printf(Locale.ROOT, "  %s: %,d / %,d transactions (%d%%), %,.0f/s now, %,.0f overall, %.0f s%n", label, done,
                        plan.planned(), done * 100 / plan.planned(), (done - lastCompleted) / ((now - lastAt) / 1e9),
                        done / ((now - start) / 1e9), (now - start) / 1e9);
                progress.flush();
                lastCompleted = done;
                lastAt = now;
                nextProgress += TimeUnit.MILLISECONDS.toNanos(PROGRESS_EVERY_MS);
            }
            Thread.sleep(20);
        }
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no stderr: " + e.getMessage() + ")";
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
