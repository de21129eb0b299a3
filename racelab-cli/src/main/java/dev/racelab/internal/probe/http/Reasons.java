package dev.racelab.internal.probe.http;

import java.net.ConnectException;
import java.net.UnknownHostException;

/** The most telling message in an exception's causes, for one-line errors. */
public final class Reasons {
    private Reasons() {
    }

    /** HttpClient often wraps "Connection refused" in a bare exception, so the causes are searched. */
    public static String of(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException) return "unknown host " + t.getMessage();
            if (t.getMessage() != null && !t.getMessage().isBlank()) return t.getMessage().strip().replaceAll("\\s+", " ");
        }
        // a refused connection often comes as a bare ConnectException, and refused is what that usually means
        if (e instanceof ConnectException) return "Connection refused";
        return e.getClass().getSimpleName();
    }
}
