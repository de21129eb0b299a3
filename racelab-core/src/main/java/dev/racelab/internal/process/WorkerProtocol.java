package dev.racelab.internal.process;

import dev.racelab.internal.process.WorkerMessage.Bye;
import dev.racelab.internal.process.WorkerMessage.ClockReply;
import dev.racelab.internal.process.WorkerMessage.ClockRequest;
import dev.racelab.internal.process.WorkerMessage.Done;
import dev.racelab.internal.process.WorkerMessage.Error;
import dev.racelab.internal.process.WorkerMessage.FromWorker;
import dev.racelab.internal.process.WorkerMessage.Go;
import dev.racelab.internal.process.WorkerMessage.Hold;
import dev.racelab.internal.process.WorkerMessage.Holding;
import dev.racelab.internal.process.WorkerMessage.Linger;
import dev.racelab.internal.process.WorkerMessage.Progress;
import dev.racelab.internal.process.WorkerMessage.Ready;
import dev.racelab.internal.process.WorkerMessage.Release;
import dev.racelab.internal.process.WorkerMessage.RemotePid;
import dev.racelab.internal.process.WorkerMessage.Stop;
import dev.racelab.internal.process.WorkerMessage.ToWorker;
import dev.racelab.internal.process.WorkerMessage.Usage;

/**
 * The worker protocol's text, the one place that knows it: one message a line, a keyword and,
 * for some, one space and a payload. The same text goes over a pipe to a worker on this machine,
 * through {@code ip netns exec} to one on a lab host, and over ssh to one on another machine.
 * A line that is none of these is an error that quotes it.
 */
public final class WorkerProtocol {
    /** The keyword of a remote worker's shell's pid line, which a shell command writes, not Java: see {@link #remotePidEcho()}. */
    static final String REMOTE_PID = "RACELAB-PID";

    private WorkerProtocol() {
    }

    /** The message's line, without its line end. */
    public static String format(WorkerMessage message) {
        return switch (message) {
            case Go g -> "GO";
            case Stop s -> "STOP";
            case Hold h -> "HOLD " + h.moment().name();
            case Release r -> "RELEASE";
            case ClockRequest c -> "CLOCK";
            case Linger l -> "LINGER";
            case Bye b -> "BYE";
            case Ready r -> "READY";
            case Progress p -> "PROGRESS " + p.completed();
            case Done d -> "DONE " + d.completed();
            case Error e -> "ERROR " + e.message();
            case Usage u -> "USAGE " + u.message();
            case Holding h -> "HOLDING " + h.describe();
            case ClockReply c -> "CLOCK " + c.micros();
            case RemotePid p -> REMOTE_PID + " " + p.pid();
        };
    }

    /** What a shell prints, before it execs the worker JVM, so the parent learns the JVM's pid: a {@link RemotePid} line. */
    public static String remotePidEcho() {
        return "echo " + REMOTE_PID + " $$";
    }

    /** A line the parent sent; a line that is none of its messages throws {@link WorkerProtocolException}. */
    public static ToWorker parseToWorker(String line) {
        Line l = Line.of(line);
        return switch (l.keyword) {
            case "GO" -> l.bare(new Go());
            case "STOP" -> l.bare(new Stop());
            case "HOLD" -> new Hold(l.moment(l.payload()));
            case "RELEASE" -> l.bare(new Release());
            case "CLOCK" -> l.bare(new ClockRequest());
            case "LINGER" -> l.bare(new Linger());
            case "BYE" -> l.bare(new Bye());
            default -> throw l.wrong("no message of the parent starts with " + l.keyword);
        };
    }

    /**
     * Whether a line on a worker's stdout is its JVM's own log: unified logging's bracketed
     * decorations ({@code [0.355s][info][jfr,startup] ...}). JFR prints its start-up lines there
     * whatever {@code -Xlog} says, so a worker run with {@code -XX:StartFlightRecording} in
     * RACELAB_WORKER_OPTS says them before READY. No message of a worker starts with '['.
     */
    public static boolean isJvmLog(String line) {
        return line.startsWith("[");
    }

    /** A line the worker (or a remote worker's shell) said; a line that is none of its messages throws {@link WorkerProtocolException}. */
    public static FromWorker parseFromWorker(String line) {
        Line l = Line.of(line);
        return switch (l.keyword) {
            case "READY" -> l.bare(new Ready());
            case "PROGRESS" -> l.build(() -> new Progress(l.number(l.payload())));
            case "DONE" -> l.build(() -> new Done(l.number(l.payload())));
            case "ERROR" -> new Error(l.text());
            case "USAGE" -> new Usage(l.text());
            case "HOLDING" -> l.holding();
            case "CLOCK" -> new ClockReply(l.number(l.payload()));
            case REMOTE_PID -> l.build(() -> new RemotePid(l.number(l.payload())));
            default -> throw l.wrong("no message of a worker starts with " + l.keyword);
        };
    }

    /** {@code text} on one line: line ends become spaces, so a message never splits into two lines. */
    static String oneLine(String text) {
        return text == null ? "" : text.replace('\n', ' ').replace('\r', ' ');
    }

    /** A line split at its first space into a keyword and what follows (null when nothing does). */
    private record Line(String line, String keyword, String rest) {
        static Line of(String line) {
            if (line == null) throw new IllegalArgumentException("line must not be null");
            int space = line.indexOf(' ');
            return space < 0 ? new Line(line, line, null) : new Line(line, line.substring(0, space), line.substring(space + 1));
        }

        <M> M bare(M message) {
            if (rest != null) throw wrong(keyword + " takes nothing after it");
            return message;
        }

        String payload() {
            if (rest == null || rest.isEmpty()) throw wrong(keyword + " needs a value after it");
            return rest;
        }

        String text() {
            if (rest == null) throw wrong(keyword + " needs a space and its message after it");
            return rest;
        }

        long number(String text) {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw wrong("'" + text + "' is not a whole number");
            }
        }

        HoldMoment moment(String text) {
            try {
                return HoldMoment.valueOf(text);
            } catch (IllegalArgumentException e) {
                throw wrong("'" + text + "' is no moment a worker holds at");
            }
        }

        /** "MOMENT OP-ID KEY": the key is the rest of the line, spaces and all. */
        Holding holding() {
            String[] parts = payload().split(" ", 3);
            if (parts.length < 3) throw wrong("HOLDING needs a moment, an operation id and a key");
            return build(() -> new Holding(moment(parts[0]), number(parts[1]), parts[2]));
        }

        /** A message whose own checks refuse the line's value make the line an error too. */
        <M> M build(java.util.function.Supplier<M> message) {
            try {
                return message.get();
            } catch (WorkerProtocolException e) {
                throw e;
            } catch (IllegalArgumentException e) {
                throw wrong(e.getMessage());
            }
        }

        WorkerProtocolException wrong(String why) {
            return new WorkerProtocolException(line, why);
        }
    }
}
