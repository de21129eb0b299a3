package dev.racelab.internal.run;

import dev.racelab.internal.process.WorkerJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One worker JVM that racelab started, and what it has said on stdout. */
final class WorkerProcess {
    static final String WORKER_OPTS_ENV = WorkerJvm.WORKER_OPTS_ENV;

    final int instance;
    /** 0 for the worker that started with the run, n for the n-th replacement of that instance. */
    final int generation;
    final Process process;
    final Path historyFile;
    final Path errFile;
    volatile boolean ready;
    volatile boolean done;
    volatile boolean goSent;
    volatile long completed;
    volatile String error;
    /** What the worker said it is holding at ("APPLIED 123"), until it is sent on. */
    volatile String holding;
    /** Set before racelab's nemesis kills it, so its death is not taken for a crash. */
    volatile boolean killedByNemesis;

    private WorkerProcess(int instance, int generation, Process process, Path historyFile, Path errFile) {
        this.instance = instance;
        this.generation = generation;
        this.process = process;
        this.historyFile = historyFile;
        this.errFile = errFile;
    }

    /** Starts a worker; {@code resumeAt} is empty for a first worker, the threads' next sequence numbers for a replacement. */
    static WorkerProcess start(Path dir, Path specFile, int instance, int generation, int instances, Map<Integer, Long> resumeAt)
            throws IOException {
        return start(dir, specFile, instance, generation, instances, resumeAt, List.of());
    }

    /**
     * {@code onHost}: a command prefix that runs the JVM elsewhere and replaces itself with it
     * ({@code ip netns exec NS}), so the pid held here is the JVM's; empty for this machine as it is.
     */
    static WorkerProcess start(Path dir, Path specFile, int instance, int generation, int instances, Map<Integer, Long> resumeAt,
            List<String> onHost) throws IOException {
        String name = instance + (generation == 0 ? "" : "-r" + generation);
        Path history = dir.resolve("history-" + name + ".bin");
        Path err = dir.resolve("worker-" + name + ".err");
        List<String> args = new ArrayList<>(List.of(specFile.toString(), Integer.toString(instance), history.toString()));
        if (!resumeAt.isEmpty()) args.add(WorkerMain.formatResume(resumeAt));
        List<String> cmd = new ArrayList<>(onHost);
        cmd.addAll(WorkerJvm.command(WorkerMain.class.getName(), instances, args));
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        WorkerProcess w = new WorkerProcess(instance, generation, p, history, err);
        Thread.ofPlatform().daemon().name("racelab-worker-" + name).start(w::readStdout);
        return w;
    }

    private void readStdout() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.equals(WorkerMain.READY)) ready = true;
                else if (line.startsWith(WorkerMain.PROGRESS)) completed = Long.parseLong(line.substring(WorkerMain.PROGRESS.length()));
                else if (line.equals(WorkerMain.DONE)) done = true;
                else if (line.startsWith(WorkerMain.HOLDING)) holding = line.substring(WorkerMain.HOLDING.length());
                else if (line.startsWith(WorkerMain.ERROR)) error = line.substring(WorkerMain.ERROR.length());
            }
        } catch (IOException | NumberFormatException ignored) {
            // the process died; the fleet notices
        }
    }

    long pid() {
        return process.pid();
    }

    String name() {
        return "worker " + instance + (generation == 0 ? "" : " (replacement " + generation + ")") + " (pid " + pid() + ")";
    }

    /** Running its load: released at the barrier, not finished, not dead. */
    boolean running() {
        return goSent && !done && process.isAlive();
    }

    /** Dead before it said DONE. */
    boolean diedEarly() {
        return !process.isAlive() && !(done && process.exitValue() == 0);
    }

    void send(String line) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    void go() throws IOException {
        send(WorkerMain.GO);
        goSent = true;
    }

    /** A timed run's deadline: the worker finishes what it has in flight and says DONE. */
    void stop() throws IOException {
        if (process.isAlive()) send(WorkerMain.STOP);
    }

    /** SIGKILL, by the pid of the process racelab started. */
    void kill() {
        if (process.isAlive()) process.destroyForcibly();
    }

    String describeDeath() {
        int code = process.exitValue();
        if (error != null) return "failed: " + error;
        return "exited with code " + code + "; its stderr ends with:\n" + tail(errFile);
    }

    /** The last lines the worker wrote to stderr, for an error that names it. */
    String stderrTail() {
        return tail(errFile);
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no stderr: " + e.getMessage() + ")";
        }
    }
}
