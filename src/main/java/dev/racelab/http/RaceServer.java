package dev.racelab.http;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.racelab.core.NoSuchCellException;
import dev.racelab.core.StoreException;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The HTTP face of racelab: the route table served by the JDK's HTTP server, one virtual
 * thread per request. JSON in and out; every refusal is {"error": ...} with a 4xx, and bad
 * input never gets a 500. Bodies over {@link #MAX_BODY_BYTES} are refused unread. Metrics are
 * at GET /metrics in Prometheus' text format.
 */
public final class RaceServer implements AutoCloseable {
    public static final int MAX_BODY_BYTES = 16 * 1024;
    static final String ADMIN_HEADER = "x-admin-token";

    /** Decimals stay exact (BigDecimal), and anything but one JSON value is malformed. */
    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final HttpServer server;
    private final ExecutorService threads;
    private final List<Route> routes;
    private final String adminToken;
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    /**
     * @param adminToken the token admin routes demand in X-Admin-Token, or null when they are
     *                   open (--demo) or absent
     */
    private RaceServer(HttpServer server, List<Route> routes, String adminToken) {
        this.server = server;
        this.routes = routes;
        this.adminToken = adminToken;
        this.threads = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(threads);
        server.createContext("/", this::serve);
    }

    public static RaceServer start(String bind, int port, List<Route> routes, String adminToken) throws IOException {
        RaceServer s = new RaceServer(HttpServer.create(new InetSocketAddress(bind, port), 1024), routes, adminToken);
        s.server.start();
        return s;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public PrometheusMeterRegistry metrics() {
        return metrics;
    }

    @Override
    public void close() {
        server.stop(1);
        threads.close();
        metrics.close();
    }

    private void serve(HttpExchange exchange) throws IOException {
        long start = System.nanoTime();
        String path = exchange.getRequestURI().getRawPath();
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        String routeName = "unmatched";
        Reply reply;
        try {
            if (method.equals("GET") && path.equals("/metrics")) {
                sendText(exchange, 200, metrics.scrape());
                return;
            }
            List<Route> candidates = Route.matching(routes, path);
            Route route = candidates.stream().filter(r -> r.method().equals(method)).findFirst().orElse(null);
            if (route == null) {
                reply = candidates.isEmpty() ? Reply.error(404, "no route " + method + " " + path)
                        : Reply.error(405, method + " is not allowed on " + path);
            } else {
                routeName = route.method() + " " + route.pattern();
                reply = handle(exchange, route, path);
            }
        } catch (RuntimeException e) {
            reply = Reply.error(500, "internal error: " + e.getClass().getSimpleName());
            e.printStackTrace();
        }
        sendJson(exchange, reply);
        Timer.builder("racelab_http_requests").tag("route", routeName).tag("status", Integer.toString(reply.status()))
                .register(metrics).record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    private Reply handle(HttpExchange exchange, Route route, String path) throws IOException {
        try {
            if (isAdmin(route) && adminToken != null && !adminToken.equals(header(exchange, ADMIN_HEADER))) {
                return Reply.error(401, "this admin route needs the right " + ADMIN_HEADER + " header");
            }
            byte[] body = readBody(exchange);
            Request request = new Request(route.match(path), query(exchange), headers(exchange), parse(body));
            return route.handler().handle(request);
        } catch (ApiException e) {
            return Reply.error(e.status(), e.getMessage());
        } catch (NoSuchCellException e) {
            return Reply.error(404, "not found: " + e.getMessage());
        } catch (StoreException e) {
            return Reply.error(503, "the store failed: " + e.getMessage());
        }
    }

    private static boolean isAdmin(Route route) {
        return route.pattern().equals("/reset") || route.pattern().equals("/test-deadlock");
    }

    /** Reads at most MAX_BODY_BYTES; one byte more means the body is too large. */
    private static byte[] readBody(HttpExchange exchange) throws IOException {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if (length != null && length.matches("[0-9]{1,19}") && Long.parseLong(length) > MAX_BODY_BYTES) {
            throw new ApiException(413, "the body is over " + MAX_BODY_BYTES / 1024 + " KB");
        }
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) throw new ApiException(413, "the body is over " + MAX_BODY_BYTES / 1024 + " KB");
            return body;
        }
    }

    private static JsonNode parse(byte[] body) {
        if (body.length == 0) return null;
        try {
            return JSON.readTree(body);
        } catch (JsonParseException e) {
            throw ApiException.badRequest("malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiException.badRequest("malformed JSON: " + e.getMessage());
        }
    }

    private static Map<String, String> query(HttpExchange exchange) {
        Map<String, String> query = new HashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw == null) return query;
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            query.putIfAbsent(name, value);
        }
        return query;
    }

    private static Map<String, String> headers(HttpExchange exchange) {
        Map<String, String> headers = new HashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!values.isEmpty()) headers.put(name.toLowerCase(Locale.ROOT), values.get(0));
        });
        return headers;
    }

    private static String header(HttpExchange exchange, String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    private static void sendJson(HttpExchange exchange, Reply reply) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(reply.body());
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        send(exchange, reply.status(), bytes);
    }

    private static void sendText(HttpExchange exchange, int status, String text) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
        send(exchange, status, text.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, byte[] bytes) throws IOException {
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
