package dev.racelab.internal.run;

import dev.racelab.core.Clock;
import dev.racelab.internal.process.WorkerChild;
import dev.racelab.internal.process.WorkerState;
import dev.racelab.internal.process.WorkerEvent;
import dev.racelab.internal.process.WorkerJvm;
import dev.racelab.internal.process.WorkerMessage;
import dev.racelab.internal.remote.ClockBound;
import dev.racelab.internal.remote.SshTarget;
import dev.racelab.internal.report.RunResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One worker JVM of a run: its {@link WorkerChild} (the protocol and the process), which instance
 * it runs and which replacement it is, its journal, and for a worker over ssh its host and clock.
 */
final class WorkerProcess {
    static final String WORKER_OPTS_ENV = WorkerJvm.WORKER_OPTS_ENV;

    final int instance;
    /** 0 for the worker that started with the run, n for the n-th replacement of that instance. */
    final int generation;
    final Path historyFile;
    /** Set for a worker on another host ({@code --hosts}); null on this machine. */
    final RemoteWorkers remote;
    final SshTarget host;
    private volatile WorkerChild child;
    /** Set before racelab's nemesis kills it, so its death is not taken for a crash. */
    private final AtomicBoolean killedByNemesis = new AtomicBoolean();
    private volatile ClockBound clockAtStart;
    private volatile ClockBound clockAtEnd;
    /** Set once the journal of a remote worker that has ended is here: it changes no more. */
    private volatile boolean journalFetched;

    private WorkerProcess(int instance, int generation, Path historyFile, RemoteWorkers remote, SshTarget host) {
        this.instance = instance;
        this.generation = generation;
        this.historyFile = historyFile;
        this.remote = remote;
        this.host = host;
    }

    private static String fileName(int instance, int generation) {
        return instance + (generation == 0 ? "" : "-r" + generation);
    }

    /** Starts a worker on its host over ssh; its journal is written there and fetched into {@code dir} when it ends. */
    static WorkerProcess startRemote(Path dir, RemoteWorkers remote, int instance, int generation, int instances,
            Map<Integer, Long> resumeAt, Clock clock, Consumer<WorkerEvent> listener) throws IOException {
        String name = fileName(instance, generation);
        Path err = dir.resolve("worker-" + name + ".err");
        List<String> extra = resumeAt.isEmpty() ? List.of() : List.of(WorkerMain.formatResume(resumeAt));
        Process p = remote.start(instance, "history-" + name + ".bin", extra, instances, err);
        SshTarget host = remote.hostOf(instance);
        WorkerProcess w = new WorkerProcess(instance, generation, dir.resolve("history-" + name + ".bin"), remote, host);
        w.child = WorkerChild.startedRemotely("worker " + name, p, err, (pid, signal) -> remote.signal(host, pid, signal), clock,
                w.listening(listener));
        return w;
    }

    /**
     * Starts a worker; {@code resumeAt} is empty for a first worker, the threads' next sequence
     * numbers for a replacement. {@code onHost}: a command prefix that runs the JVM elsewhere and
     * replaces itself with it ({@code ip netns exec NS}), so the pid held here is the JVM's; empty
     * for this machine as it is.
     */
    static WorkerProcess start(Path dir, Path specFile, int instance, int generation, int instances, Map<Integer, Long> resumeAt,
            List<String> onHost, Clock clock, Consumer<WorkerEvent> listener) throws IOException {
        String name = fileName(instance, generation);
        Path history = dir.resolve("history-" + name + ".bin");
        List<String> args = new ArrayList<>(List.of(specFile.toString(), Integer.toString(instance), history.toString()));
        if (!resumeAt.isEmpty()) args.add(WorkerMain.formatResume(resumeAt));
        List<String> cmd = new ArrayList<>(onHost);
        cmd.addAll(WorkerJvm.command(WorkerMain.class.getName(), instances, args));
        WorkerProcess w = new WorkerProcess(instance, generation, history, null, null);
        w.child = WorkerChild.start("worker " + name, cmd, dir.resolve("worker-" + name + ".err"), clock, w.listening(listener));
        return w;
    }

    /** The run's listener, after this worker's own: a remote worker's clock is measured once more when it says DONE. */
    private Consumer<WorkerEvent> listening(Consumer<WorkerEvent> listener) {
        return event -> {
            if (event instanceof WorkerEvent.Said said && said.message() instanceof WorkerMessage.Done && remote != null
                    && clockAtStart != null) {
                Thread.ofVirtual().start(this::measureClockAtEnd);
            }
            listener.accept(event);
        };
    }

    WorkerChild child() {
        return child;
    }

    WorkerState state() {
        return child.state();
    }

    /** The worker's journal on this machine: for a remote worker, fetched from its host first (once, after it ended). */
    Path journal() {
        if (remote == null || journalFetched) return historyFile;
        boolean ended = !child.alive();
        remote.fetch(host, historyFile.getFileName().toString(), historyFile);
        if (ended) journalFetched = true;
        return historyFile;
    }

    /** Measures the host's clock at the start (before GO) and asks the worker to stay after DONE for the end's measure. */
    void measureClockAtStart() throws IOException, InterruptedException {
        if (remote == null) return;
        clockAtStart = RemoteWorkers.sample(this);
        child.send(new WorkerMessage.Linger());
    }

    ClockBound clockAtStart() {
        return clockAtStart;
    }

    /** The end's measure, once the worker said DONE; then it may exit. */
    private void measureClockAtEnd() {
        try {
            clockAtEnd = RemoteWorkers.sample(this);
        } catch (IOException | InterruptedException | RuntimeException e) {
            // no end measure: the start's bound stands alone in the result
        } finally {
            try {
                child.send(new WorkerMessage.Bye());
            } catch (IOException ignored) {
                // it has gone already
            }
        }
    }

    /** Where the worker ran, its pid there and its host's clock bound: null for a worker on this machine. */
    RunResult.WorkerHost placement() {
        if (remote == null) return null;
        ClockBound both = clockAtStart == null ? clockAtEnd : clockAtEnd == null ? clockAtStart : clockAtStart.union(clockAtEnd);
        return new RunResult.WorkerHost(instance, generation, host.toString(), pid(), both == null ? null : both.offsetMs(),
                both == null ? null : both.errorMs(), clockAtStart, clockAtEnd);
    }

    /** The worker JVM's pid: on this machine, or on its host as its shell reported it. */
    long pid() {
        return child.pid();
    }

    String name() {
        long pid = pid();
        String where = host == null ? "pid " + pid : pid == 0 ? "on " + host + ", its pid not yet reported" : "pid " + pid + " on " + host;
        return "worker " + instance + (generation == 0 ? "" : " (replacement " + generation + ")") + " (" + where + ")";
    }

    /** Running its load, and not holding for the nemesis. */
    boolean runningFree() {
        WorkerState s = child.state();
        return s.running() && s.holding() == null;
    }

    void go() throws IOException {
        child.go();
    }

    /** A timed run's deadline: the worker finishes what it has in flight and says DONE. */
    void stop() throws IOException {
        if (child.alive()) child.send(new WorkerMessage.Stop());
    }

    /** SIGKILL, by the pid of the process racelab started (on its host: by the pid its shell reported, over ssh). */
    void kill() {
        child.kill();
    }

    /** The nemesis's kill -9: its death is then not taken for a crash. */
    void killByNemesis() {
        killedByNemesis.set(true);
        child.kill();
    }

    boolean killedByNemesis() {
        return killedByNemesis.get();
    }

    /** kill -SIG of the worker JVM, by its pid, here or on its host; false when it could not be sent. */
    boolean signal(String signal) throws InterruptedException {
        return child.signal(signal);
    }

    String describeDeath() {
        return child.describeDeath();
    }

    /** The last lines the worker wrote to stderr, for an error that names it. */
    String stderrTail() {
        return child.stderrTail();
    }
}
