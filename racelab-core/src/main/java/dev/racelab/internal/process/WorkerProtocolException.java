package dev.racelab.internal.process;

/** A line that is no line of the worker protocol; the message quotes it. */
public final class WorkerProtocolException extends RuntimeException {
    private final String line;

    WorkerProtocolException(String line, String why) {
        super("'" + line + "' is not a line of the worker protocol: " + why);
        this.line = line;
    }

    /** The line as it came. */
    public String line() {
        return line;
    }
}
