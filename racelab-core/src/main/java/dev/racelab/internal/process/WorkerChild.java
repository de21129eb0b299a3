package dev.racelab.internal.process;

import dev.racelab.core.Clock;
import dev.racelab.internal.process.WorkerMessage.ClockReply;
import dev.racelab.internal.process.WorkerMessage.ClockRequest;
import dev.racelab.internal.process.WorkerMessage.FromWorker;
import dev.racelab.internal.process.WorkerMessage.Go;
import dev.racelab.internal.process.WorkerMessage.Release;
import dev.racelab.internal.process.WorkerMessage.ToWorker;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The parent's side of one worker process: starts it with its stderr in a file, reads what it
 * says into an immutable {@link WorkerState} and hands each line, then its exit, to a listener as a
 * {@link WorkerEvent}. Sends it the parent's lines, waits for a state (with a deadline on the
 * {@link Clock}), signals and kills it by its pid. A worker run over ssh reports its JVM's pid
 * on its first line; it is then signalled on its host by a {@link Signaller} of the caller's.
 */
public final class WorkerChild {
    /** Sends a signal to a pid ({@code KILL}, {@code STOP}, {@code CONT}); true when it was sent. */
    @FunctionalInterface
    public interface Signaller {
        boolean signal(long pid, String signal) throws InterruptedException;
    }

    /** {@code kill -SIG pid} on this machine. */
    public static final Signaller HERE = (pid, signal) -> {
        try {
            return new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        }
    };

    /** How long a kill over ssh may take to end the ssh that ran the worker, before that ssh is killed too. */
    private static final long REMOTE_KILL_WAIT_SECONDS = 10;

    private final String name;
    private final Process process;
    private final Path errFile;
    private final Signaller remote;
    private final Clock clock;
    private final Consumer<WorkerEvent> listener;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final BlockingQueue<ClockReply> clockReplies = new LinkedBlockingQueue<>();
    private WorkerState state = WorkerState.START;

    private WorkerChild(String name, Process process, Path errFile, Signaller remote, Clock clock, Consumer<WorkerEvent> listener) {
        this.name = name;
        this.process = process;
        this.errFile = errFile;
        this.remote = remote;
        this.clock = clock;
        this.listener = listener;
    }

    /**
     * Starts {@code command} on this machine (or on a lab host, through a prefix that execs the
     * JVM, so the pid held here is the JVM's), its stderr into {@code errFile}.
     */
    public static WorkerChild start(String name, List<String> command, Path errFile, Clock clock, Consumer<WorkerEvent> listener)
            throws IOException {
        Process p = new ProcessBuilder(command).redirectError(errFile.toFile()).start();
        return attach(name, p, errFile, null, clock, listener);
    }

    /**
     * A worker already started elsewhere, by {@code process} (ssh): its shell reports the JVM's pid
     * first, and {@code remote} signals that pid on its host.
     */
    public static WorkerChild startedRemotely(String name, Process process, Path errFile, Signaller remote, Clock clock,
            Consumer<WorkerEvent> listener) {
        return attach(name, process, errFile, Objects.requireNonNull(remote, "remote"), clock, listener);
    }

    private static WorkerChild attach(String name, Process process, Path errFile, Signaller remote, Clock clock,
            Consumer<WorkerEvent> listener) {
        WorkerChild child = new WorkerChild(name, process, errFile, remote, clock, listener);
        Thread.ofPlatform().daemon().name("racelab-" + name.replace(' ', '-')).start(child::readStdout);
        return child;
    }

    /** What the worker has said so far, as of now. */
    public WorkerState state() {
        lock.lock();
        try {
            return state;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until the state meets {@code condition} or the clock reaches {@code deadlineNanos}
     * ({@link Clock#nanoTime()}); answers the state then, met or not.
     */
    public WorkerState await(Predicate<WorkerState> condition, long deadlineNanos) throws InterruptedException {
        lock.lock();
        try {
            long left;
            while (!condition.test(state) && (left = deadlineNanos - clock.nanoTime()) > 0) changed.awaitNanos(left);
            return state;
        } finally {
            lock.unlock();
        }
    }

    private WorkerState update(UnaryOperator<WorkerState> change) {
        lock.lock();
        try {
            state = change.apply(state);
            changed.signalAll();
            return state;
        } finally {
            lock.unlock();
        }
    }

    public void send(ToWorker message) throws IOException {
        OutputStream in = process.getOutputStream();
        synchronized (in) {
            in.write((WorkerProtocol.format(message) + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        }
    }

    /** Releases the worker at the start barrier. */
    public void go() throws IOException {
        send(new Go());
        update(WorkerState::withGoSent);
    }

    /** Sends the holding operation on, once: false when no hold was reported (or it was sent on already). */
    public boolean releaseHold() {
        boolean[] was = {false};
        update(s -> {
            was[0] = s.holding() != null;
            return s.withoutHolding();
        });
        if (was[0]) sendQuietly(new Release());
        return was[0];
    }

    /** Sends RELEASE whatever was reported: a hold no operation took up is withdrawn, a held one sent on. */
    public void withdrawHold() {
        update(WorkerState::withoutHolding);
        sendQuietly(new Release());
    }

    private void sendQuietly(ToWorker message) {
        try {
            send(message);
        } catch (IOException ignored) {
            // it has gone already; its exit is heard
        }
    }

    /** Asks the worker's wall clock: its reply in microseconds since the epoch, or empty when none came within {@code timeout}. */
    public OptionalLong askClock(java.time.Duration timeout) throws IOException, InterruptedException {
        clockReplies.clear();
        send(new ClockRequest());
        ClockReply reply = clockReplies.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        return reply == null ? OptionalLong.empty() : OptionalLong.of(reply.micros());
    }

    private void readStdout() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (WorkerProtocol.isJvmLog(line)) {
                    System.err.println(name + ": " + line); // the user's JVM flags asked for it: shown, not taken for a message
                    continue;
                }
                FromWorker message = WorkerProtocol.parseFromWorker(line);
                update(s -> s.heard(message));
                if (message instanceof ClockReply c) clockReplies.offer(c);
                listener.accept(new WorkerEvent.Said(this, message));
            }
        } catch (WorkerProtocolException e) {
            // a worker that says what racelab cannot read is broken: it is stopped, and its death names the line
            update(s -> s.withError(e.getMessage()));
            process.destroyForcibly();
        } catch (IOException ignored) {
            // its stdout broke: it died, as waitFor says below
        }
        int code = waitForExit();
        update(s -> s.exitedWith(code));
        listener.accept(new WorkerEvent.Exited(this, code));
    }

    private int waitForExit() {
        while (true) {
            try {
                return process.waitFor();
            } catch (InterruptedException e) {
                // this reader is racelab's own thread: nothing interrupts it but a JVM shutting down
            }
        }
    }

    /** The worker JVM's pid: on this machine, or on its host as its shell reported it (0 until then). */
    public long pid() {
        return remote == null ? process.pid() : state().reportedPid();
    }

    public String name() {
        return name;
    }

    /** Whether the process racelab started is alive (the ssh, for a remote worker). */
    public boolean alive() {
        return process.isAlive();
    }

    /** kill -SIG of the worker JVM, by its pid, here or on its host; false when it could not be sent. */
    public boolean signal(String signal) throws InterruptedException {
        if (!process.isAlive()) return false;
        long pid = pid();
        if (pid <= 0) return false;
        return (remote == null ? HERE : remote).signal(pid, signal);
    }

    /** SIGKILL, by the pid of the process racelab started (on its host: by the pid its shell reported, then its ssh). */
    public void kill() {
        if (!process.isAlive()) return;
        if (remote != null) {
            try {
                signal("KILL");
                if (process.waitFor(REMOTE_KILL_WAIT_SECONDS, TimeUnit.SECONDS)) return; // ssh ends with the JVM it ran
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        process.destroyForcibly();
    }

    /** Waits, until {@code deadlineNanos} on the clock, for the worker to exit and all it said to be read. */
    public boolean awaitExit(long deadlineNanos) throws InterruptedException {
        return await(WorkerState::exited, deadlineNanos).exited();
    }

    /** Why the worker died, for an error that names it: what it said failed, or its exit code and the end of its stderr. */
    public String describeDeath() {
        WorkerState s = state();
        if (s.error() != null) return "failed: " + s.error();
        if (s.usage() != null) return "failed: " + s.usage();
        return "exited with code " + (s.exited() ? s.exitCode() : "?") + "; its stderr ends with:\n" + stderrTail();
    }

    /** The last lines the worker wrote to stderr. */
    public String stderrTail() {
        try {
            List<String> lines = Files.readAllLines(errFile);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no stderr: " + e.getMessage() + ")";
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
