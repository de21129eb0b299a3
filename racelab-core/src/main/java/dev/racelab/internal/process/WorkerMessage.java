package dev.racelab.internal.process;

import java.util.Objects;

/**
 * One line of the worker protocol, as a value: what the parent says on a worker's stdin
 * ({@link ToWorker}) and what the worker says on its stdout ({@link FromWorker}).
 * {@link WorkerProtocol} formats and parses them; nothing else knows their text.
 */
public sealed interface WorkerMessage {
    /** The parent's lines, on the worker's stdin. */
    sealed interface ToWorker extends WorkerMessage {
    }

    /** The worker's lines, on its stdout (and, for a worker over ssh, its shell's pid line first). */
    sealed interface FromWorker extends WorkerMessage {
    }

    /** The start barrier: every worker said READY; all begin now. */
    record Go() implements ToWorker {
    }

    /** A timed load's deadline: finish the operations in flight, invoke no more. */
    record Stop() implements ToWorker {
    }

    /** The next operation to reach {@code moment} holds there and says {@link Holding}. */
    record Hold(HoldMoment moment) implements ToWorker {
        public Hold {
            Objects.requireNonNull(moment, "moment");
        }
    }

    /** Sends the holding operation on, or withdraws a {@link Hold} no operation took up. */
    record Release() implements ToWorker {
    }

    /** Asks for the worker's wall clock, answered at once with {@link ClockReply}. */
    record ClockRequest() implements ToWorker {
    }

    /** Sent before GO to a worker on another host: after DONE it stays, answering CLOCK, until {@link Bye}. */
    record Linger() implements ToWorker {
    }

    /** A lingering worker may exit. */
    record Bye() implements ToWorker {
    }

    /** Connected and waiting at the start barrier. */
    record Ready() implements FromWorker {
    }

    /** How many operations the worker has completed so far. */
    record Progress(long completed) implements FromWorker {
        public Progress {
            if (completed < 0) throw new IllegalArgumentException("completed must be >= 0, was " + completed);
        }
    }

    /** The load is over and its results are written; {@code completed}: the operations it completed in all. */
    record Done(long completed) implements FromWorker {
        public Done {
            if (completed < 0) throw new IllegalArgumentException("completed must be >= 0, was " + completed);
        }
    }

    /** The worker failed (it exits with {@link WorkerChannel#EXIT_ERROR}); {@code message} is one line. */
    record Error(String message) implements FromWorker {
        public Error {
            message = WorkerProtocol.oneLine(message);
        }
    }

    /** The worker's input is at fault, not the worker (it exits with {@link WorkerChannel#EXIT_USAGE}); one line. */
    record Usage(String message) implements FromWorker {
        public Usage {
            message = WorkerProtocol.oneLine(message);
        }
    }

    /** An operation holds at {@code moment}: its id ({@code -1} when none is known) and the key of its first cell. */
    record Holding(HoldMoment moment, long opId, String key) implements FromWorker {
        public Holding {
            Objects.requireNonNull(moment, "moment");
            key = WorkerProtocol.oneLine(Objects.requireNonNull(key, "key"));
            if (key.isEmpty()) throw new IllegalArgumentException("key must not be empty");
        }

        /** "APPLIED 123 run-1a2b/stock:1": what the operation holds, as people read it. */
        public String describe() {
            return moment + " " + opId + " " + key;
        }
    }

    /** The worker's wall clock, in microseconds since the epoch. */
    record ClockReply(long micros) implements FromWorker {
    }

    /** Said by a remote worker's shell before it becomes the JVM: its pid, which is then the JVM's. */
    record RemotePid(long pid) implements FromWorker {
        public RemotePid {
            if (pid <= 0) throw new IllegalArgumentException("pid must be > 0, was " + pid);
        }
    }
}
