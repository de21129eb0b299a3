package dev.racelab.internal.lab;

import com.fasterxml.jackson.databind.JsonNode;
import dev.racelab.internal.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** One HTTP GET to a lab server's own API (etcd's /health, Patroni's REST API), for readiness and elections. */
final class HttpProbe {
    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(TIMEOUT).proxy(HttpClient.Builder.NO_PROXY).build();

    private HttpProbe() {
    }

    /** The body as JSON whatever the status (Patroni answers 503 with its state), or empty when nothing answers with JSON. */
    static Optional<JsonNode> json(String host, int port, String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + path)).timeout(TIMEOUT).GET().build();
        try {
            HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            return Optional.of(Json.MAPPER.readTree(response.body()));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
