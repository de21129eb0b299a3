package dev.racelab.run;

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
    static final String WORKER_OPTS_ENV = "RACELAB_WORKER_OPTS";

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
        String name = instance + (generation == 0 ? "" : "-r" + generation);
        Path history = dir.resolve("history-" + name + ".bin");
        Path err = dir.resolve("worker-" + name + ".err");
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBinary());
        cmd.addAll(jvmOptions(instances));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), WorkerMain.class.getName(),
                specFile.toString(), Integer.toString(instance), history.toString()));
        if (!resumeAt.isEmpty()) cmd.add(WorkerMain.formatResume(resumeAt));
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        WorkerProcess w = new WorkerProcess(instance, generation, p, history, err);
        Thread.ofPlatform().daemon().name("racelab-worker-" + name).start(w::readStdout);
        return w;
    }

    /**
     * When worker JVMs outnumber the cores, they would spend the run compiling against
     * each other and the database: C1 alone warms up in a fraction of the time (20
     * workers on 2 cores: 2,482 against 1,645 ops/s). With fewer workers, C2's faster code
     * wins. RACELAB_WORKER_OPTS replaces these flags.
     */
    static List<String> jvmOptions(int instances) {
        List<String> options = new ArrayList<>();
        // JDK 23+ warns when netty (the Redis and DynamoDB clients) uses sun.misc.Unsafe; 21 has no such flag.
        if (Runtime.version().feature() >= 23) options.add("--sun-misc-unsafe-memory-access=allow");
        String custom = System.getenv(WORKER_OPTS_ENV);
        if (custom != null && !custom.isBlank()) {
            options.addAll(List.of(custom.trim().split("\\s+")));
            return options;
        }
        options.addAll(List.of("-XX:+UseSerialGC", "-Xss512k", "-Xms64m", "-Xmx512m"));
        if (instances > Runtime.getRuntime().availableProcessors()) options.add("-XX:TieredStopAtLevel=1");
        return options;
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
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

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no stderr: " + e.getMessage() + ")";
        }
    }
}
