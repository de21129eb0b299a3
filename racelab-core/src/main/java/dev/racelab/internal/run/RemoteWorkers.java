package dev.racelab.internal.run;

import dev.racelab.core.RunAbortedException;
import dev.racelab.internal.process.WorkerChannel;
import dev.racelab.internal.process.WorkerJvm;
import dev.racelab.internal.process.WorkerProtocol;
import dev.racelab.internal.remote.ClockBound;
import dev.racelab.internal.remote.RemoteInstall;
import dev.racelab.internal.remote.Ssh;
import dev.racelab.internal.remote.SshHosts;
import dev.racelab.internal.remote.SshTarget;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Worker JVMs on the user's hosts, started over SSH ({@code racelab run --hosts}): before any
 * load, every host is checked (ssh answers, the same JDK at the same path) and given racelab's
 * jars it lacks; each run gets a directory of its own there ({@code ~/.racelab/runs/RUN}) with the
 * worker spec and the workers' journals, which stay on the host and are fetched when a worker
 * ends; the directory is removed at the end of the run.
 */
public final class RemoteWorkers {
    /** Clock samples per measurement: the shortest round trip of these bounds the offset. */
    static final int CLOCK_SAMPLES = 8;
    private static final java.time.Duration CLOCK_REPLY_WITHIN = java.time.Duration.ofSeconds(5);

    private final SshHosts hosts;
    private final Ssh ssh;
    private final Consumer<String> progress;
    private final RemoteInstall install;
    private List<SshTarget> placement = List.of();
    private String runId;
    /** When the hosts' check began: the start of a figure, the time until every worker is ready. */
    private long prepareBegan;

    /** {@code log} hears every remote command before it runs; {@code progress} a line per host prepared. */
    public RemoteWorkers(SshHosts hosts, Consumer<String> log, Consumer<String> progress) {
        this.hosts = hosts;
        this.ssh = new Ssh(hosts, log);
        this.progress = progress;
        this.install = new RemoteInstall(ssh, WorkerJvm.javaBinary(), System.getProperty("java.class.path"));
    }

    public SshHosts hosts() {
        return hosts;
    }

    /**
     * Places the instances on the hosts, then checks and prepares every host, in parallel; a host
     * that refuses is a one-line usage error. Once per placement: a second call for as many instances does nothing.
     */
    public void prepare(int instances) {
        if (placement.size() == instances) return;
        prepareBegan = System.nanoTime();
        placement = hosts.assign(instances);
        List<SshTarget> distinct = new ArrayList<>(new LinkedHashSet<>(placement));
        for (RemoteInstall.Prepared p : onEach(distinct, install::prepare)) {
            progress.accept(String.format(Locale.ROOT, "racelab: host %s: %s; racelab's %d jar(s): %d there, %d copied (%,.1f MB) in %.1f s",
                    p.target(), p.javaVersion(), p.jarsPresent() + p.jarsCopied(), p.jarsPresent(), p.jarsCopied(),
                    p.bytesCopied() / 1e6, p.seconds()));
        }
    }

    /** The run's directory on every host, with the worker spec in it. */
    void startRun(String id, Path specFile) {
        this.runId = id;
        onEach(new ArrayList<>(new LinkedHashSet<>(placement)), t -> {
            Ssh.Result r = ssh.run(t, "mkdir -p " + runDir() + " && cat > " + runDir() + "/spec.json", specFile);
            if (!r.ok()) throw new RunAbortedException("host " + t + ": could not write the worker spec (exit " + r.exitCode() + "): " + r.err());
            return r;
        });
    }

    /** Seconds since the hosts' check began. */
    double secondsSincePrepare() {
        return (System.nanoTime() - prepareBegan) / 1e9;
    }

    /** How many distinct hosts run workers. */
    int hostCount() {
        return new LinkedHashSet<>(placement).size();
    }

    SshTarget hostOf(int instance) {
        return placement.get(instance);
    }

    private String runDir() {
        return RemoteInstall.HOME_DIR + "/runs/" + runId;
    }

    /** Starts one worker over ssh: the remote shell says its pid, then becomes the JVM ({@code exec}), so that pid is the worker's. */
    Process start(int instance, String historyName, List<String> extraArgs, int instances, Path localErr) throws IOException {
        List<String> args = new ArrayList<>(List.of("spec.json", Integer.toString(instance), historyName));
        args.addAll(extraArgs);
        List<String> jvm = WorkerJvm.command(install.javaBinary(), install.remoteClassPath(), WorkerMain.class.getName(), instances, args);
        // the pid goes to the run directory first, so racelab faults heal finds the worker should racelab be killed
        String line = "cd " + runDir() + " && echo $$ >> pids && " + WorkerProtocol.remotePidEcho() + " && exec "
                + String.join(" ", jvm.stream().map(Ssh::quote).toList());
        return ssh.start(hostOf(instance), line, localErr);
    }

    /** kill -SIG of the worker's JVM on its host, by the pid its shell reported; nothing else is signalled. */
    boolean signal(SshTarget target, long pid, String signal) {
        if (pid <= 0) return false;
        return ssh.run(target, "kill -" + signal + " " + pid, null).ok();
    }

    /** The worker's journal, fetched from its host into {@code local}; it stays on the host until the run's end. */
    void fetch(SshTarget target, String historyName, Path local) {
        Ssh.Result r = ssh.fetch(target, "cat " + runDir() + "/" + historyName, local);
        if (!r.ok()) throw new RunAbortedException("could not fetch the journal " + historyName + " from " + target + ": " + r.err());
    }

    /** Removes the run's directory from every host. */
    void finish() {
        if (runId == null) return;
        for (SshTarget t : new LinkedHashSet<>(placement)) {
            Ssh.Result r = ssh.run(t, "rm -rf " + runDir(), null);
            if (!r.ok()) progress.accept("racelab: could not remove " + runDir() + " on " + t + ": " + r.err());
        }
    }

    /** The clock bound of the worker's host, by round trips over its stdin and stdout ({@code CLOCK}). */
    static ClockBound sample(WorkerProcess w) throws IOException, InterruptedException {
        List<ClockBound.Sample> samples = new ArrayList<>();
        for (int i = 0; i < CLOCK_SAMPLES; i++) {
            long sent = nowMicros();
            java.util.OptionalLong reply = w.child().askClock(CLOCK_REPLY_WITHIN);
            long received = nowMicros();
            if (reply.isEmpty()) break;
            samples.add(new ClockBound.Sample(sent, reply.getAsLong(), received));
        }
        if (samples.isEmpty()) throw new IOException(w.name() + " did not answer CLOCK within " + CLOCK_REPLY_WITHIN.toSeconds() + " s");
        return ClockBound.best(samples);
    }

    static long nowMicros() {
        return WorkerChannel.wallClockMicros();
    }

    private static <R> List<R> onEach(List<SshTarget> targets, Function<SshTarget, R> action) {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<R>> futures = targets.stream().map(t -> pool.submit(() -> action.apply(t))).toList();
            List<R> results = new ArrayList<>();
            for (Future<R> f : futures) {
                try {
                    results.add(f.get());
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException re) throw re;
                    throw new RunAbortedException(e.getCause().getMessage(), e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new RunAbortedException("interrupted", e);
                }
            }
            return results;
        }
    }
}
