package dev.racelab.internal.process;

import dev.racelab.core.UsageException;
import dev.racelab.internal.process.WorkerMessage.Bye;
import dev.racelab.internal.process.WorkerMessage.ClockReply;
import dev.racelab.internal.process.WorkerMessage.ClockRequest;
import dev.racelab.internal.process.WorkerMessage.Done;
import dev.racelab.internal.process.WorkerMessage.FromWorker;
import dev.racelab.internal.process.WorkerMessage.Go;
import dev.racelab.internal.process.WorkerMessage.Hold;
import dev.racelab.internal.process.WorkerMessage.Holding;
import dev.racelab.internal.process.WorkerMessage.Linger;
import dev.racelab.internal.process.WorkerMessage.Progress;
import dev.racelab.internal.process.WorkerMessage.Ready;
import dev.racelab.internal.process.WorkerMessage.Release;
import dev.racelab.internal.process.WorkerMessage.Stop;
import dev.racelab.internal.process.WorkerMessage.ToWorker;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * The worker's side of the protocol, in the worker JVM: its stdout carries the protocol's lines
 * only (System.out is pointed at stderr, so nothing a library prints can break a line), its stdin
 * the parent's. A worker's main is {@link #main}: it says READY, waits for GO, runs its load while
 * progress is reported, says DONE with its count and exits; every worker ends alike, with the
 * exit codes below. Its stdin ending before DONE means the parent is gone: it stops.
 */
public final class WorkerChannel {
    public static final int EXIT_DONE = 0;
    /** The worker's input was at fault (it said USAGE): the parent reports it as a usage error. */
    public static final int EXIT_USAGE = 2;
    /** The worker failed (it said ERROR, or its parent said a line that is no part of the protocol). */
    public static final int EXIT_ERROR = 3;
    /** Its parent went away (stdin ended) before it was done. */
    public static final int EXIT_ORPHANED = 4;
    static final long PROGRESS_EVERY_MS = 250;
    /** A lingering worker waits at most this long for BYE. */
    static final long LINGER_AT_MOST_SECONDS = 30;

    /** What the parent may ask of a load under way; a worker that has no such thing ignores it. */
    public interface Commands {
        /** STOP: finish the operations in flight, invoke no more. */
        default void stop() {
        }

        /** HOLD: the next operation to reach {@code moment} holds there. */
        default void hold(HoldMoment moment) {
        }

        /** RELEASE: the holding operation goes on. */
        default void release() {
        }
    }

    /** A worker's whole life between READY and DONE. */
    @FunctionalInterface
    public interface Load {
        /** Connects, calls {@link WorkerChannel#ready()}, runs the load, and answers how many operations it completed. */
        long run(WorkerChannel channel) throws Exception;
    }

    private final PrintStream out;
    private final CountDownLatch go = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private final CountDownLatch bye = new CountDownLatch(1);
    private final AtomicBoolean linger = new AtomicBoolean();
    private volatile Commands commands = new Commands() {
    };

    WorkerChannel(PrintStream out) {
        this.out = out;
    }

    /**
     * Runs a worker's {@code load} on this JVM's stdin and stdout and exits: 0 after DONE, 2 after
     * USAGE (a {@link UsageException}), 3 after ERROR (anything else), 4 when the parent went away.
     */
    public static void main(String who, Load load) {
        PrintStream protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        WorkerChannel channel = new WorkerChannel(protocol);
        channel.listen(System.in, who);
        Runtime.getRuntime().exit(channel.runToTheEnd(load));
    }

    /** Runs {@code load} and says how it ended; answers the exit code. */
    int runToTheEnd(Load load) {
        try {
            long completed = load.run(this);
            finished.countDown();
            say(new Done(completed));
            if (linger.get()) bye.await(LINGER_AT_MOST_SECONDS, TimeUnit.SECONDS); // the parent measures the clock once more
            return EXIT_DONE;
        } catch (UsageException e) {
            say(new WorkerMessage.Usage(message(e)));
            return EXIT_USAGE;
        } catch (Throwable e) {
            say(new WorkerMessage.Error(message(e)));
            e.printStackTrace();
            return EXIT_ERROR;
        }
    }

    /** Where the load's commands go (STOP, HOLD, RELEASE): set before {@link #ready()}. */
    public void commands(Commands commands) {
        this.commands = commands;
    }

    /** Says READY and waits for GO: the start barrier every worker of the parent shares. */
    public void ready() throws InterruptedException {
        say(new Ready());
        go.await();
    }

    /** Says that an operation holds, and where. */
    public void holding(Holding holding) {
        say(holding);
    }

    /**
     * Says PROGRESS with {@code completed} now and every quarter second until the load ends,
     * running {@code eachTime} too (a worker's journal figures, kept up to here should it be killed).
     */
    public Thread reportProgress(LongSupplier completed, Runnable eachTime) {
        return Thread.ofPlatform().daemon().name("racelab-progress").start(() -> {
            try {
                while (!finished.await(PROGRESS_EVERY_MS, TimeUnit.MILLISECONDS)) {
                    say(new Progress(completed.getAsLong()));
                    eachTime.run();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** The load is over: progress stops (DONE carries the final count). */
    public void loadOver() {
        finished.countDown();
    }

    synchronized void say(FromWorker message) {
        out.println(WorkerProtocol.format(message));
    }

    /** Reads the parent's lines on a daemon thread; at their end before DONE, the parent is gone and this JVM stops. */
    void listen(InputStream in, String who) {
        Thread.ofPlatform().daemon().name("racelab-stdin").start(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) obey(WorkerProtocol.parseToWorker(line));
            } catch (WorkerProtocolException e) {
                say(new WorkerMessage.Error(e.getMessage()));
                System.err.println(who + ": " + e.getMessage());
                Runtime.getRuntime().halt(EXIT_ERROR);
            } catch (Exception ignored) {
                // treated like end of input below
            }
            bye.countDown();
            if (finished.getCount() > 0) {
                System.err.println(who + ": the coordinator went away; stopping");
                Runtime.getRuntime().halt(EXIT_ORPHANED);
            }
        });
    }

    private void obey(ToWorker message) {
        switch (message) {
            case Go g -> go.countDown();
            case Stop s -> commands.stop();
            case Hold h -> commands.hold(h.moment());
            case Release r -> commands.release();
            case ClockRequest c -> say(new ClockReply(wallClockMicros()));
            case Linger l -> linger.set(true);
            case Bye b -> bye.countDown();
        }
    }

    /** This host's wall clock, in microseconds since the epoch: what CLOCK answers. */
    public static long wallClockMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }

    private static String message(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
