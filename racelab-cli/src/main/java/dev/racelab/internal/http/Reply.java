package dev.racelab.internal.http;

import java.util.LinkedHashMap;
import java.util.Map;

/** What a route answers: a status and a JSON object. */
public record Reply(int status, Map<String, Object> body) {
    public Reply {
        body = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(body));
    }

    public static Reply ok(Map<String, Object> body) {
        return new Reply(200, body);
    }

    public static Reply error(int status, String message) {
        return new Reply(status, Map.of("error", message));
    }
}
