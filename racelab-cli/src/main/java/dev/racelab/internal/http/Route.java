package dev.racelab.internal.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One route: a method, a path pattern with {@code {name}} segments, and what it does. Routes
 * know nothing of the HTTP server, so the same table serves every server and every test.
 */
public record Route(String method, String pattern, Handler handler) {
    /** What a route does with a parsed request. */
    @FunctionalInterface
    public interface Handler {
        Reply handle(Request request);
    }

    public Route {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(handler, "handler");
    }

    /** The path parameters when {@code path} matches this route's pattern, else null. */
    public Map<String, String> match(String path) {
        String[] want = pattern.split("/");
        String[] got = path.split("/");
        if (want.length != got.length) return null;
        Map<String, String> params = new java.util.HashMap<>();
        for (int i = 0; i < want.length; i++) {
            if (want[i].startsWith("{") && want[i].endsWith("}")) {
                if (got[i].isEmpty()) return null;
                params.put(want[i].substring(1, want[i].length() - 1), got[i]);
            } else if (!want[i].equals(got[i])) {
                return null;
            }
        }
        return params;
    }

    /** The routes whose pattern matches {@code path}, whatever their method (for 405 against 404). */
    public static List<Route> matching(List<Route> routes, String path) {
        List<Route> found = new ArrayList<>();
        for (Route r : routes) if (r.match(path) != null) found.add(r);
        return found;
    }
}
