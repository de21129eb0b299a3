package dev.racelab.internal.run;

import dev.racelab.internal.process.WorkerJvm;
import dev.racelab.internal.remote.ClockBound;
import dev.racelab.internal.remote.SshTarget;
import dev.racelab.internal.report.RunResult;
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
    /** What a remote worker's shell says before it becomes the JVM: its pid, which is then the JVM's. */
    static final String REMOTE_PID = "RACELAB-PID ";

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
    /** Set for a worker on another host ({@code --hosts}); null on this machine. */
    final RemoteWorkers remote;
    final SshTarget host;
    /** The worker JVM's pid on its host, as its shell reported it; 0 until then. */
    volatile long remotePid;
    final java.util.concurrent.BlockingQueue<String> clockReplies = new java.util.concurrent.LinkedBlockingQueue<>();
    volatile ClockBound clockAtStart;
    volatile ClockBound clockAtEnd;

    private WorkerProcess(int instance, int generation, Process process, Path historyFile, Path errFile) {
        this(instance, generation, process, historyFile, errFile, null, null);
    }

    private WorkerProcess(int instance, int generation, Process process, Path historyFile, Path errFile, RemoteWorkers remote,
            SshTarget host) {
        this.instance = instance;
        this.generation = generation;
        this.process = process;
        this.historyFile = historyFile;
        this.errFile = errFile;
        this.remote = remote;
        this.host = host;
    }

    /** Starts a worker on its host over ssh; its journal is written there and fetched into {@code dir} when it ends. */
    static WorkerProcess startRemote(Path dir, RemoteWorkers remote, int instance, int generation, int instances,
            Map<Integer, Long> resumeAt) throws IOException {
        String name = instance + (generation == 0 ? "" : "-r" + generation);
        Path err = dir.resolve("worker-" + name + ".err");
        List<String> extra = resumeAt.isEmpty() ? List.of() : List.of(WorkerMain.formatResume(resumeAt));
        Process p = remote.start(instance, "history-" + name + ".bin", extra, instances, err);
        WorkerProcess w = new WorkerProcess(instance, generation, p, dir.resolve("history-" + name + ".bin"), err, remote,
                remote.hostOf(instance));
        Thread.ofPlatform().daemon().name("racelab-worker-" + name).start(w::readStdout);
        return w;
    }

    /** Set once the journal of a remote worker that has ended is here: it changes no more. */
    private volatile boolean journalFetched;

    /** The worker's journal on this machine: for a remote worker, fetched from its host first (once, after it ended). */
    Path journal() {
        if (remote == null || journalFetched) return historyFile;
        boolean ended = !process.isAlive();
        remote.fetch(host, historyFile.getFileName().toString(), historyFile);
        if (ended) journalFetched = true;
        return historyFile;
    }

    /** Measures the host's clock at the start (before GO) and asks the worker to stay after DONE for the end's measure. */
    void measureClockAtStart() throws IOException, InterruptedException {
        if (remote == null) return;
        clockAtStart = RemoteWorkers.sample(this);
        send(WorkerMain.LINGER);
    }

    /** The end's measure, once the worker said DONE; then it may exit. */
    private void measureClockAtEnd() {
        try {
            clockAtEnd = RemoteWorkers.sample(this);
        } catch (IOException | InterruptedException | RuntimeException e) {
            // no end measure: the start's bound stands alone in the result
        } finally {
            try {
                send(WorkerMain.BYE);
            } catch (IOException ignored) {
                // it has gone already
            }
        }
    }

    /** Where the worker ran, its pid there and its host's clock bound: null for a worker on this machine. */
    RunResult.WorkerHost placement() {
        if (remote == null) return null;
        ClockBound both = clockAtStart == null ? clockAtEnd : clockAtEnd == null ? clockAtStart : clockAtStart.union(clockAtEnd);
        return new RunResult.WorkerHost(instance, generation, host.toString(), remotePid, both == null ? null : both.offsetMs(),
                both == null ? null : both.errorMs(), clockAtStart, clockAtEnd);
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
                else if (line.startsWith(WorkerMain.CLOCK_REPLY)) clockReplies.offer(line.substring(WorkerMain.CLOCK_REPLY.length()));
                else if (remote != null && remotePid == 0 && line.startsWith(REMOTE_PID)) remotePid = Long.parseLong(line.substring(REMOTE_PID.length()).trim());
                else if (line.equals(WorkerMain.DONE) && remote != null && clockAtStart != null) {
                    done = true;
                    Thread.ofVirtual().start(this::measureClockAtEnd);
                }
                else if (line.startsWith(WorkerMain.PROGRESS)) completed = Long.parseLong(line.substring(WorkerMain.PROGRESS.length()));
                else if (line.equals(WorkerMain.DONE)) done = true;
                else if (line.startsWith(WorkerMain.HOLDING)) holding = line.substring(WorkerMain.HOLDING.length());
                else if (line.startsWith(WorkerMain.ERROR)) error = line.substring(WorkerMain.ERROR.length());
            }
        } catch (IOException | NumberFormatException ignored) {
            // the process died; the fleet notices
        }
    }

    /** The worker JVM's pid: on this machine, or on its host as its shell reported it. */
    long pid() {
        return remote == null ? process.pid() : remotePid;
    }

    String name() {
        String where = host == null ? "pid " + pid() : remotePid == 0 ? "on " + host + ", its pid not yet reported" : "pid " + pid() + " on " + host;
        return "worker " + instance + (generation == 0 ? "" : " (replacement " + generation + ")") + " (" + where + ")";
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

    /** SIGKILL, by the pid of the process racelab started (on its host: by the pid its shell reported, over ssh). */
    void kill() {
        if (!process.isAlive()) return;
        if (remote != null) {
            remote.signal(host, remotePid, "KILL");
            try {
                if (process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) return; // ssh ends with the JVM it ran
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        process.destroyForcibly();
    }

    /** kill -SIG of the worker JVM, by its pid, here or on its host; false when it could not be sent. */
    boolean signal(String signal) throws InterruptedException {
        if (!process.isAlive()) return false;
        if (remote != null) return remote.signal(host, remotePid, signal);
        try {
            return new ProcessBuilder("kill", "-" + signal, Long.toString(pid())).inheritIO().start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        }
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
