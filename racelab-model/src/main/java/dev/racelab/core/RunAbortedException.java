package dev.racelab.core;

/** A run that could not finish (a worker died or never started): there is no verdict. Exit code 3. */
public class RunAbortedException extends RuntimeException {
    public RunAbortedException(String message) {
        super(message);
    }

    public RunAbortedException(String message, Throwable cause) {
        super(message, cause);
    }
}
