package dev.racelab.internal.store.etcd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.racelab.core.StoreException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * etcd's v3 API through its HTTP/JSON gateway (the gRPC gateway every etcd 3.4 member serves on
 * its client port): a POST of JSON per call, keys and values base64. A member that refuses the
 * connection is passed over for the next one; a call that timed out after it was sent may have
 * been applied, and says so.
 */
final class EtcdGateway {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(3);

    private final List<URI> members;
    private final HttpClient http;
    /** The member that answered last: calls go there first. */
    private volatile int preferred;

    EtcdGateway(String urls) {
        List<URI> parsed = new ArrayList<>();
        for (String url : urls.split(",")) {
            String u = url.strip();
            if (u.isEmpty()) continue;
            if (!u.startsWith("http://")) u = "http://" + u;
            parsed.add(URI.create(u.endsWith("/") ? u.substring(0, u.length() - 1) : u));
        }
        if (parsed.isEmpty()) throw new IllegalArgumentException("no etcd member in '" + urls + "'");
        this.members = List.copyOf(parsed);
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT).build();
    }

    String describe() {
        return String.join(",", members.stream().map(URI::toString).toList());
    }

    /** POSTs {@code body} to {@code path} (such as /v3/kv/txn) on the first member that takes the connection. */
    JsonNode call(String path, Object body, String operation) {
        String json;
        try {
            json = JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        IOException last = null;
        int start = preferred;
        for (int i = 0; i < members.size(); i++) {
            int m = (start + i) % members.size();
            HttpRequest request = HttpRequest.newBuilder(members.get(m).resolve(path)).timeout(CALL_TIMEOUT)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build();
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                JsonNode answer = JSON.readTree(response.body());
                if (response.statusCode() != 200) {
                    String why = answer.path("message").asText(answer.path("error").asText(response.body()));
                    // "etcdserver: no leader" and the like: this member cannot serve; another may
                    if (response.statusCode() >= 500 && i + 1 < members.size()) {
                        last = new IOException(members.get(m) + ": " + why);
                        continue;
                    }
                    throw new StoreException(operation + " on etcd " + members.get(m) + ": " + why, null, response.statusCode() >= 500);
                }
                preferred = m;
                return answer;
            } catch (ConnectException e) {
                last = e; // not sent: the next member may take it
            } catch (HttpTimeoutException e) {
                throw new StoreException(operation + " on etcd " + members.get(m) + ": no answer within " + CALL_TIMEOUT.toSeconds()
                        + " s (it may have been applied)", e, true);
            } catch (IOException e) {
                throw new StoreException(operation + " on etcd " + members.get(m) + ": " + e, e, true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreException(operation + " on etcd interrupted", e, true);
            }
        }
        throw new StoreException(operation + ": no etcd member of " + describe() + " took the connection: " + last, last, false);
    }

    static String base64(String s) {
        return java.util.Base64.getEncoder().encodeToString(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
