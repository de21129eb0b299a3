package dev.racelab.internal.load;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.racelab.core.Money;
import dev.racelab.internal.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
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
 *
 * <p>For probe http it also has a stock (GET /stock/1 answers {"data": {"items": [{"qty": N}]}},
 * POST /take/1 {"quantity": Q} runs {@link #take}) and seed 003's likes (POST /like/1
 * {"userId": U} runs {@link #like}, GET /posts/1 answers {"like_count": N}); /reset resets them too.
 */
public final class SeedServer implements AutoCloseable {
    public static final long SEED_BALANCE = 100_000; // 1000.00, as seed 003's /reset leaves account 1

    /** How GET /balance/1 writes the balance: a JSON number, a string as mysql2 writes DECIMAL, plain text, or no number. */
    public enum BalanceFormat { NUMBER, DECIMAL_STRING, PLAIN_TEXT, NOT_A_NUMBER }

    /** POST /take/1: gets the server, the arrival number (1..N) and the quantity. */
    public interface Take {
        Reply apply(SeedServer server, int n, long quantity) throws Exception;
    }

    /** POST /like/1: gets the server, the arrival number (1..N) and the user. */
    public interface Like {
        Reply apply(SeedServer server, int n, String userId) throws Exception;
    }

    /** What a deposit does: gets the request's arrival number (1..N) and the amount, answers a status and a body. */
    public interface Deposit {
        Reply apply(SeedServer server, int n, long amount, Headers headers) throws Exception;
    }

    public record Reply(int status, String body) {
        public static Reply balance(long minor) {
            return new Reply(200, "{\"balance\": " + Money.format(minor) + "}");
        }

        public static Reply error(int status, String message) {
            return new Reply(status, "{\"error\": \"" + message + "\"}");
        }
    }

    private static final Pattern DEPOSIT = Pattern.compile("/deposit-[a-z]+/1|/accounts/1/deposits");

    public final AtomicLong balance = new AtomicLong(SEED_BALANCE);
    public final AtomicInteger arrivals = new AtomicInteger();
    public final AtomicLong stock = new AtomicLong();
    public final AtomicLong likes = new AtomicLong();
    public final Set<String> likedBy = ConcurrentHashMap.newKeySet();
    public volatile long stockAfterReset = 5;
    public volatile BalanceFormat balanceFormat = BalanceFormat.NUMBER;
    /** Answer with Transfer-Encoding: chunked instead of a Content-Length. */
    public volatile boolean chunked;
    public volatile Take take = atomicTake();
    public volatile Like like = uniqueLike();
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

    public static SeedServer start(Deposit deposit) throws IOException {
        return new SeedServer(deposit);
    }

    /** Reads the balance, waits until every one of {@code parties} requests has read it, then writes: all but one are lost. */
    public static Deposit racy(int parties) {
        CyclicBarrier everyoneHasRead = new CyclicBarrier(parties);
        return (server, n, amount, headers) -> {
            long read = server.balance.get();
            everyoneHasRead.await(10, TimeUnit.SECONDS);
            server.balance.set(read + amount);
            return Reply.balance(read + amount);
        };
    }

    public static Deposit atomic() {
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
    public static Deposit refusing(java.util.function.IntPredicate refuse, Reply reply) {
        return (server, n, amount, headers) -> refuse.test(n) ? reply : Reply.balance(server.balance.addAndGet(amount));
    }

    public String url() {
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
            boolean text = !reply.body().startsWith("{");
            exchange.getResponseHeaders().set("Content-Type", text ? "text/plain" : "application/json");
            exchange.sendResponseHeaders(reply.status(), chunked ? 0 : body.length);
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
        if (method.equals("GET") && path.equals("/stock/1")) return new Reply(200, "{\"data\": {\"items\": [{\"qty\": " + stock.get() + "}]}}");
        if (method.equals("GET") && path.equals("/posts/1")) return new Reply(200, "{\"id\": 1, \"like_count\": " + likes.get() + "}");
        if (method.equals("POST") && path.equals("/take/1")) {
            Map<?, ?> body = Json.MAPPER.readValue(exchange.getRequestBody(), Map.class);
            return take.apply(this, arrivals.incrementAndGet(), ((Number) body.get("quantity")).longValue());
        }
        if (method.equals("POST") && path.equals("/like/1")) {
            Map<?, ?> body = Json.MAPPER.readValue(exchange.getRequestBody(), Map.class);
            return like.apply(this, arrivals.incrementAndGet(), String.valueOf(body.get("userId")));
        }
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
        stock.set(stockAfterReset);
        likes.set(0);
        likedBy.clear();
        return new Reply(200, "{\"message\": \"Reset complete\"}");
    }

    private Reply balanceRead(String id) {
        if (balanceBroken) return Reply.error(500, "database is down");
        String b = Money.format(balance.get());
        return switch (balanceFormat) {
            case NUMBER -> new Reply(200, "{" + id + "\"balance\": " + b + ", \"version\": 0}");
            case DECIMAL_STRING -> new Reply(200, "{" + id + "\"balance\": \"" + b + "\", \"version\": 0}");
            case PLAIN_TEXT -> new Reply(200, b);
            case NOT_A_NUMBER -> new Reply(200, "{" + id + "\"balance\": \"n/a\", \"version\": 0}");
        };
    }

    private static long amount(HttpExchange exchange) throws IOException {
        Map<?, ?> body = Json.MAPPER.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .readValue(exchange.getRequestBody(), Map.class);
        return Money.parsePositive(new BigDecimal(body.get("amount").toString()));
    }

    /** Takes the quantity if the stock holds it, in one step; else 409. */
    public static Take atomicTake() {
        return (server, n, quantity) -> {
            while (true) {
                long have = server.stock.get();
                if (have < quantity) return Reply.error(409, "sold out");
                if (server.stock.compareAndSet(have, have - quantity)) return new Reply(200, "{\"stock\": " + (have - quantity) + "}");
            }
        };
    }

    /**
     * Reads the stock, checks it, waits until every one of {@code parties} requests has read it,
     * then writes read - quantity: every request sees the same stock, so all are sold.
     */
    public static Take racyTake(int parties) {
        CyclicBarrier everyoneHasRead = new CyclicBarrier(parties);
        return (server, n, quantity) -> {
            long read = server.stock.get();
            everyoneHasRead.await(10, TimeUnit.SECONDS);
            if (read < quantity) return Reply.error(409, "sold out");
            server.stock.set(read - quantity);
            return new Reply(200, "{\"stock\": " + (read - quantity) + "}");
        };
    }

    /** Seed 003's like: a unique (user, post) row, then like_count + 1; a duplicate answers 200 {"success": false}. */
    public static Like uniqueLike() {
        return (server, n, user) -> {
            if (!server.likedBy.add(user)) return new Reply(200, "{\"success\": false, \"message\": \"Already liked\"}");
            server.likes.incrementAndGet();
            return new Reply(200, "{\"success\": true, \"message\": \"Liked!\"}");
        };
    }

    /** Checks whether the user liked, waits until all {@code parties} have checked, then records and counts: no unique row. */
    public static Like racyLike(int parties) {
        CyclicBarrier everyoneHasChecked = new CyclicBarrier(parties);
        return (server, n, user) -> {
            boolean already = server.likedBy.contains(user);
            everyoneHasChecked.await(10, TimeUnit.SECONDS);
            if (already) return new Reply(200, "{\"success\": false, \"message\": \"Already liked\"}");
            server.likedBy.add(user);
            server.likes.incrementAndGet();
            return new Reply(200, "{\"success\": true, \"message\": \"Liked!\"}");
        };
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
