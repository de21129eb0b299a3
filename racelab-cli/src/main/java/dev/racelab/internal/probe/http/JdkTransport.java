package dev.racelab.internal.probe.http;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Requests through a java.net.http client the caller owns: HTTP/1.1, no redirects, as {@code racelab load} always sent them. */
public final class JdkTransport implements HttpTransport {
    private final HttpClient client;
    private final Duration timeout;

    public JdkTransport(HttpClient client, Duration timeout) {
        this.client = client;
        this.timeout = timeout;
    }

    @Override
    public Exchanger exchanger() {
        return new Exchanger() {
            @Override
            public Answer send(Outgoing r) throws IOException, InterruptedException {
                HttpRequest.Builder b = HttpRequest.newBuilder(r.uri()).timeout(timeout)
                        .method(r.method(), r.body() == null ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(r.body()));
                for (Outgoing.Header h : r.headers()) b.header(h.name(), h.value());
                HttpResponse<byte[]> response = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
                return new Answer(response.statusCode(), response.body() == null ? new byte[0] : response.body());
            }

            @Override
            public void close() {
                // the client is the caller's
            }
        };
    }

    @Override
    public void close() {
        // the client is the caller's
    }
}
