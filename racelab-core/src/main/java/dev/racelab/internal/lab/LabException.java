package dev.racelab.internal.lab;

import dev.racelab.core.RunAbortedException;

/** A lab could not be made or removed: a host command failed or a server never got ready. Exit code 3. */
public final class LabException extends RunAbortedException {
    public LabException(String message) {
        super(message);
    }

    public LabException(String message, Throwable cause) {
        super(message, cause);
    }
}
