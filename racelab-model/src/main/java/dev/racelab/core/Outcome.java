package dev.racelab.core;

import java.util.Objects;

/**
 * What one attempt or one whole operation came to. Losing a race is an outcome, not an
 * exception: strategies return it and retry policies inspect it.
 */
public record Outcome(Status status, FailReason reason, int retries) {
    public Outcome {
        Objects.requireNonNull(status, "status");
        if (status == Status.FAIL && reason == null) throw new IllegalArgumentException("a failure needs a reason");
        if (status != Status.FAIL && reason != null) throw new IllegalArgumentException(status + " takes no reason");
        if (retries < 0) throw new IllegalArgumentException("retries must be >= 0");
    }

    private static final Outcome OK = new Outcome(Status.OK, null, 0);

    public static Outcome ok() {
        return OK;
    }

    public static Outcome fail(FailReason reason) {
        return new Outcome(Status.FAIL, reason, 0);
    }

    public static Outcome unknown() {
        return new Outcome(Status.UNKNOWN, null, 0);
    }

    public boolean isOk() {
        return status == Status.OK;
    }

    public boolean isRetryable() {
        return status == Status.FAIL && reason.retryable();
    }

    public Outcome withRetries(int n) {
        return new Outcome(status, reason, n);
    }
}
