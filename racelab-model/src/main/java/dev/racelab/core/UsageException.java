package dev.racelab.core;

/** Bad input or configuration: reported as one line on stderr with exit code 2. */
public class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }

    public UsageException(String message, Throwable cause) {
        super(message, cause);
    }
}
