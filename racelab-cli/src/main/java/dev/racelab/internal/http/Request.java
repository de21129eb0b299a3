package dev.racelab.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * A request as the routes see it: path parameters, query parameters, the headers they read,
 * and the body already parsed as JSON (null when there was none).
 */
public record Request(Map<String, String> pathParams, Map<String, String> query, Map<String, String> headers,
                      JsonNode body) {
    public Request {
        pathParams = Map.copyOf(pathParams);
        query = Map.copyOf(query);
        headers = Map.copyOf(headers);
    }

    public String path(String name) {
        return pathParams.get(name);
    }

    public String query(String name, String fallback) {
        return query.getOrDefault(name, fallback);
    }

    /** A header by its lower-case name, or null. */
    public String header(String lowerCaseName) {
        return headers.get(lowerCaseName);
    }

    public String idempotencyKey() {
        return header("idempotency-key");
    }
}
