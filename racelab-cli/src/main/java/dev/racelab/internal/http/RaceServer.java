package dev.racelab.internal.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.racelab.core.InvalidFieldException;
import dev.racelab.core.NoSuchCellException;
import dev.racelab.core.StoreException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP face of racelab: the route table served by Javalin, each request on a virtual
 * thread. JSON in and out; every refusal is {"error": ...} with a 4xx, and bad input never
 * gets a 500. Bodies over {@link #MAX_BODY_BYTES} are refused. Metrics are at GET /metrics in
 * Prometheus' text format.
 */
public final class RaceServer implements AutoCloseable {
    public static final int MAX_BODY_BYTES = 16 * 1024;
    static final String ADMIN_HEADER = "X-Admin-Token";

    /** No request carries a number longer than this; Jackson refuses longer ones while it reads them. */
    static final int MAX_NUMBER_CHARS = 100;
    /** Nesting deeper than this is no request of racelab's: refused while reading, before any recursion runs deep. */
    static final int MAX_NESTING = 32;

    /**
     * Decimals stay exact (BigDecimal), anything but one JSON value is malformed, and numbers
     * and nesting are bounded while parsing: the value of a number is bounded where it is read
     * ({@link Requests}), before any arithmetic.
     */
    static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNumberLength(MAX_NUMBER_CHARS)
                            .maxNestingDepth(MAX_NESTING).maxStringLength(MAX_BODY_BYTES).build())
                    .build())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final Javalin app;
    private final PrometheusMeterRegistry metrics;

    private RaceServer(Javalin app, PrometheusMeterRegistry metrics) {
        this.app = app;
        this.metrics = metrics;
    }

    /**
     * @param adminToken the token admin routes demand in X-Admin-Token, or null when they are
     *                   open (--demo) or absent
     */
    public static RaceServer start(String bind, int port, List<Route> routes, String adminToken) {
        return start(bind, port, routes, adminToken, null);
    }

    /**
     * @param live the live races whose page ({@code /}, {@code /live/...}) and event streams
     *             ({@code /races/{id}/events}) to serve beside the routes, or null for none; their
     *             JSON routes are among {@code routes} ({@link LiveApi#routes})
     */
    public static RaceServer start(String bind, int port, List<Route> routes, String adminToken, dev.racelab.internal.run.LiveRaces live) {
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Javalin app = Javalin.create(config -> {
            config.concurrency.useVirtualThreads = true;
            config.http.maxRequestSize = MAX_BODY_BYTES;
            config.startup.showJavalinBanner = false;
            for (Route route : routes) {
                config.routes.addHttpHandler(HandlerType.findOrCreate(route.method()), route.pattern(),
                        ctx -> answer(ctx, route.method() + " " + route.pattern(), metrics,
                                () -> handle(ctx, route, adminToken)));
            }
            if (live != null) {
                for (String path : LivePage.paths()) config.routes.get(path, LivePage::serve);
                config.routes.get("/races/{id}/events", ctx -> LiveEvents.stream(ctx, live));
            }
            config.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                    .result(metrics.scrape()));
            config.routes.error(404, ctx -> {
                if (ctx.attribute("racelab.answered") != null) return;
                drain(ctx);
                String path = ctx.path();
                boolean otherMethod = !Route.matching(routes, path).isEmpty();
                write(ctx, otherMethod ? Reply.error(405, ctx.method() + " is not allowed on " + path)
                        : Reply.error(404, "no route " + ctx.method() + " " + path));
            });
            config.routes.exception(Exception.class, (e, ctx) -> write(ctx, Reply.error(500, "internal error: " + e.getClass().getSimpleName())));
        }).start(bind, port);
        return new RaceServer(app, metrics);
    }

    public int port() {
        return app.port();
    }

    public PrometheusMeterRegistry metrics() {
        return metrics;
    }

    @Override
    public void close() {
        app.stop();
        metrics.close();
    }

    private interface Work {
        Reply run();
    }

    private static void answer(Context ctx, String routeName, PrometheusMeterRegistry metrics, Work work) {
        long start = System.nanoTime();
        Reply reply;
        try {
            reply = work.run();
        } catch (RuntimeException e) {
            reply = Reply.error(500, "internal error: " + e.getClass().getSimpleName());
            e.printStackTrace();
        }
        ctx.attribute("racelab.answered", true);
        write(ctx, reply);
        Timer.builder("racelab_http_requests").tag("route", routeName).tag("status", Integer.toString(reply.status()))
                .register(metrics).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }

    private static Reply handle(Context ctx, Route route, String adminToken) {
        try {
            byte[] body = body(ctx); // read before any refusal: a body left unread closes the connection under the client
            if (isAdmin(route) && adminToken != null && !adminToken.equals(ctx.header(ADMIN_HEADER))) {
                return Reply.error(401, ctx.header(ADMIN_HEADER) == null
                        ? "this admin route needs the admin token in the " + ADMIN_HEADER + " header"
                        : "the " + ADMIN_HEADER + " header does not hold this server's admin token");
            }
            // A page on another site can POST text/plain to 127.0.0.1 without a preflight: only JSON changes anything.
            if (body.length > 0 && !isJson(ctx.contentType())) {
                return Reply.error(415, "a request body must be sent as Content-Type: application/json, not "
                        + (ctx.contentType() == null ? "none" : ctx.contentType()));
            }
            Request request = new Request(ctx.pathParamMap(), query(ctx), headers(ctx), parse(body));
            return route.handler().handle(request);
        } catch (ApiException e) {
            return Reply.error(e.status(), e.getMessage());
        } catch (InvalidFieldException e) {
            // A domain rule on a value the request carried: the field by its own name, never a flag.
            return new Reply(400, java.util.Map.of("error", e.render(field -> field), "field", e.field()));
        } catch (NoSuchCellException e) {
            return Reply.error(404, "not found: " + e.getMessage());
        } catch (StoreException e) {
            return Reply.error(503, "the store failed: " + e.getMessage());
        }
    }

    private static boolean isAdmin(Route route) {
        return route.pattern().equals("/reset") || route.pattern().equals("/test-deadlock")
                || route.method().equals("POST") && route.pattern().equals(LiveApi.START_PATTERN);
    }

    /**
     * Reads what a refused request sent, so that its connection can carry the next request; a
     * body over the limit is left unread and the answer says Connection: close.
     */
    private static void drain(Context ctx) {
        try {
            body(ctx);
        } catch (ApiException overTheLimit) {
            // Connection: close is said
        }
    }

    /** The body, or a 413 when it is over the limit (Javalin refuses to read it then). */
    private static byte[] body(Context ctx) {
        try {
            if (ctx.contentLength() <= MAX_BODY_BYTES) return ctx.bodyAsBytes();
        } catch (RuntimeException e) {
            // over the limit once read: refused below
        }
        // The body is left unread, so the connection cannot carry another request: say so, or a client reuses it and is reset.
        ctx.header("Connection", "close");
        throw new ApiException(413, "the body is over " + MAX_BODY_BYTES / 1024 + " KB");
    }

    /** application/json, with or without parameters such as {@code ; charset=utf-8}. */
    static boolean isJson(String contentType) {
        if (contentType == null) return false;
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
        return type.equalsIgnoreCase("application/json");
    }

    private static JsonNode parse(byte[] body) {
        if (body.length == 0) return null;
        try {
            return JSON.readTree(body);
        } catch (StreamConstraintsException e) {
            throw ApiException.badRequest("the body has a number longer than " + MAX_NUMBER_CHARS + " characters, or nests deeper than "
                    + MAX_NESTING + " levels");
        } catch (JsonParseException e) {
            throw ApiException.badRequest("malformed JSON: " + shortened(e.getOriginalMessage()));
        } catch (IOException e) {
            throw ApiException.badRequest("malformed JSON: " + shortened(e.getMessage()));
        }
    }

    /** Jackson's messages quote the offending token (up to 256 characters): enough to see, not to echo. */
    private static String shortened(String message) {
        return message == null || message.length() <= 200 ? message : message.substring(0, 200) + "...";
    }

    private static Map<String, String> query(Context ctx) {
        Map<String, String> query = new HashMap<>();
        ctx.queryParamMap().forEach((name, values) -> {
            if (!values.isEmpty()) query.put(name, values.get(0));
        });
        return query;
    }

    private static Map<String, String> headers(Context ctx) {
        Map<String, String> headers = new HashMap<>();
        ctx.headerMap().forEach((name, value) -> headers.put(name.toLowerCase(Locale.ROOT), value));
        return headers;
    }

    private static void write(Context ctx, Reply reply) {
        try {
            ctx.status(reply.status()).contentType("application/json").result(JSON.writeValueAsBytes(reply.body()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a reply as JSON", e);
        }
    }
}
