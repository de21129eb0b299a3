package dev.racelab.load;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.racelab.core.Money;
import dev.racelab.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Seed 003's routes over one in-memory account (id 1), on a random loopback port, with a
 * deposit behaviour chosen by the test: racy, atomic, or answering something else for some
 * requests. Every request runs on its own virtual thread, so that a barrier can hold many.
 */
final class SeedServer implements AutoCloseable {
    static final long SEED_BALANCE = 100_000; // 1000.00, as seed 003's /reset leaves account 1

    /** What a deposit does: gets the request's arrival number (1..N) and the amount, answers a status and a body. */
    interface Deposit {
        Reply apply(SeedServer server, int n, long amount, Headers headers) throws Exception;
    }

    record Reply(int status, String body) {
        static Reply balance(long minor) {
            return new Reply(200, "{\"balance\": " + Money.format(minor) + "}");
        }

        static Reply error(int status, String message) {
            return new Reply(status, "{\"error\": \"" + message + "\"}");
        }
    }

    private static final Pattern DEPOSIT = Pattern.compile("/deposit-[a-z]+/1|/accounts/1/deposits");

    final AtomicLong balance = new AtomicLong(SEED_BALANCE);
    final AtomicInteger arrivals = new AtomicInteger();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    final Queue<String> queries = new ConcurrentLinkedQueue<>();
    final Queue<String> idempotencyKeys = new ConcurrentLinkedQueue<>();
    final Queue<String> resetTokens = new ConcurrentLinkedQueue<>();
    volatile boolean hasReset = true;
    volatile boolean hasBalanceRoute = true;
    volatile boolean balanceBroken;
    volatile String adminToken;

    private final Deposit deposit;
    private final HttpServer http;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    private SeedServer(Deposit deposit) throws IOException {
        this.deposit = deposit;
        this.http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1000);
        http.setExecutor(threads);
        http.createContext("/", this::handle);
        http.start();
    }

    static SeedServer start(Deposit deposit) throws IOException {
        return new SeedServer(deposit);
    }

    /** Reads the balance, waits until every one of {@code parties} requests has read it, then writes: all but one are lost. */
    static Deposit racy(int parties) {
        CyclicBarrier everyoneHasRead = new CyclicBarrier(parties);
        return (server, n, amount, headers) -> {
            long read = server.balance.get();
            everyoneHasRead.await(10, TimeUnit.SECONDS);
            server.balance.set(read + amount);
            return Reply.balance(read + amount);
        };
    }

    static Deposit atomic() {
        return (server, n, amount, headers) -> Reply.balance(server.balance.addAndGet(amount));
    }

    /**
     * Atomic, but the first deposit waits (up to 10 s) until a second one has arrived, so a
     * client that really sends concurrently is always seen with two in flight, however fast
     * the server answers; a client that sends one at a time is seen with one.
     */
    static Deposit atomicOverlapping() {
        CountDownLatch secondArrived = new CountDownLatch(1);
        return (server, n, amount, headers) -> {
            if (n == 2) secondArrived.countDown();
            if (n == 1) secondArrived.await(10, TimeUnit.SECONDS);
            return Reply.balance(server.balance.addAndGet(amount));
        };
    }

    /** Atomic, but the requests whose arrival number passes {@code refuse} get {@code reply} and change nothing. */
    static Deposit refusing(java.util.function.IntPredicate refuse, Reply reply) {
        return (server, n, amount, headers) -> refuse.test(n) ? reply : Reply.balance(server.balance.addAndGet(amount));
    }

    String url() {
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    @Override
    public void close() {
        http.stop(0);
        threads.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Reply reply;
            try {
                reply = route(exchange);
            } catch (Exception e) {
                reply = Reply.error(500, e.toString().replace('"', '\''));
            }
            byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(reply.status(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } catch (IOException e) {
            // the client gave up (a timeout in the test): nothing to answer to
        }
    }

    private Reply route(HttpExchange exchange) throws Exception {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        if (method.equals("POST") && path.equals("/reset")) return reset(exchange.getRequestHeaders());
        if (method.equals("GET") && path.equals("/balance/1") && hasBalanceRoute) return balanceRead("");
        if (method.equals("GET") && path.equals("/accounts/1")) return balanceRead("\"id\": 1, ");
        if (method.equals("POST") && DEPOSIT.matcher(path).matches()) {
            if (exchange.getRequestURI().getQuery() != null) queries.add(exchange.getRequestURI().getQuery());
            String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            if (key != null) idempotencyKeys.add(key);
            long amount = amount(exchange);
            int n = arrivals.incrementAndGet();
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                return deposit.apply(this, n, amount, exchange.getRequestHeaders());
            } finally {
                inFlight.decrementAndGet();
            }
        }
        return Reply.error(404, "Not found");
    }

    private Reply reset(Headers headers) {
        if (!hasReset) return Reply.error(404, "Not found");
        String token = headers.getFirst("X-Admin-Token");
        if (token != null) resetTokens.add(token);
        if (adminToken != null && !adminToken.equals(token)) return Reply.error(403, "admin token required");
        balance.set(SEED_BALANCE);
        return new Reply(200, "{\"message\": \"Reset complete\"}");
    }

    private Reply balanceRead(String id) {
        if (balanceBroken) return Reply.error(500, "database is down");
        return new Reply(200, "{" + id + "\"balance\": " + Money.format(balance.get()) + ", \"version\": 0}");
    }

    private static long amount(HttpExchange exchange) throws IOException {
        Map<?, ?> body = Json.MAPPER.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .readValue(exchange.getRequestBody(), Map.class);
        return Money.parsePositive(new BigDecimal(body.get("amount").toString()));
    }

    /** An idempotent deposit: the first request with a key applies it, the others replay its answer. */
    static Deposit idempotent() {
        Map<String, Reply> replies = new ConcurrentHashMap<>();
        return (server, n, amount, headers) -> {
            String key = headers.getFirst("Idempotency-Key");
            return replies.computeIfAbsent(key, k -> Reply.balance(server.balance.addAndGet(amount)));
        };
    }
}
