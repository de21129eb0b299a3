package dev.racelab.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.racelab.core.Cell;
import dev.racelab.core.Clock;
import dev.racelab.internal.scenario.Accounts;
import dev.racelab.internal.store.jdbc.JdbcStore;
import dev.racelab.store.Layout;
import dev.racelab.store.Store;
import dev.racelab.store.StoreRoles;
import dev.racelab.testing.TestStores;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random methods, paths, bodies and headers against every route of the service as
 * {@code serve --demo} has them (but /test-deadlock, whose answer waits for the database's
 * deadlock detector). Every answer is a 4xx, or a 2xx with the route's documented shape, within
 * a bounded time; and two accounts of this test's own move only by what the 2xx answers
 * acknowledged, checked after every request.
 */
class HttpFuzzTest {
    /** Far above any answer's time here (the broken deposit sleeps 100 ms); a hang is what it catches. */
    private static final Duration ANSWER_BOUND = Duration.ofSeconds(10);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(ANSWER_BOUND).build();
    private static JdbcStore store;
    private static Store leases;
    private static RaceServer server;
    private static int a;
    private static int b;
    private static final long[] expected = new long[2];

    @BeforeContainer
    static void start() {
        store = (JdbcStore) TestStores.open(TestStores.postgres(), Layout.KEYED, 16);
        leases = TestStores.open(TestStores.redis(), Layout.KEYED, 8);
        RaceService service = new RaceService(new StoreRoles(store, leases, store), Clock.SYSTEM);
        service.createMissingData(3);
        server = RaceServer.start("127.0.0.1", 0, Api.routes(service, true), null);
        a = ThreadLocalRandom.current().nextInt(1_000_000, 1_000_000_000);
        b = a + 1;
        expected[0] = 100_000;
        expected[1] = 100_000;
        store.createCells(List.of(new Cell(key(a), expected[0], 0), new Cell(key(b), expected[1], 0)));
    }

    @AfterContainer
    static void stop() {
        server.close();
        store.close();
        leases.close();
    }

    private static String key(int account) {
        return Accounts.key(RaceService.PREFIX, account);
    }

    record Fuzz(String method, String path, String body, String contentType, String idempotencyKey) {
        @Override
        public String toString() {
            return method + " " + cut(path) + " " + cut(body) + " [" + contentType + ", key " + idempotencyKey + "]";
        }

        private static String cut(String s) {
            return s == null || s.length() <= 120 ? s : s.substring(0, 120) + "...";
        }
    }

    @Property(tries = 300)
    void everyAnswerIsA4xxOrADocumented2xxAndBalancesMoveOnlyByAcknowledgedWrites(@ForAll("requests") Fuzz fuzz) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + fuzz.path()))
                .timeout(ANSWER_BOUND)
                .method(fuzz.method(), fuzz.body() == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(fuzz.body()));
        if (fuzz.contentType() != null) request.header("Content-Type", fuzz.contentType());
        if (fuzz.idempotencyKey() != null) request.header("Idempotency-Key", fuzz.idempotencyKey());
        HttpResponse<String> answer = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        int status = answer.statusCode();
        assertThat(status).as("%s -> %s", fuzz, answer.body()).satisfiesAnyOf(s -> assertThat(s).isBetween(200, 299),
                s -> assertThat(s).isBetween(400, 499));
        JsonNode json = RaceServer.JSON.readTree(answer.body());
        assertThat(json.isObject()).as("%s -> %s", fuzz, answer.body()).isTrue();
        Statistics.collect(status >= 400 ? "4xx" : "2xx");
        // A fuzz that only ever gets refused would check the refusals and nothing of what the 2xx answers move.
        Statistics.coverage(c -> c.check("2xx").percentage(p -> p >= 5));
        if (status >= 400) {
            assertThat(json.hasNonNull("error")).as("%s -> %s", fuzz, answer.body()).isTrue();
            assertThat(json.get("error").asText()).as("a refusal quotes input short").hasSizeLessThan(600);
        } else {
            documentedShape(fuzz, json);
            acknowledge(fuzz, json);
        }
        assertThat(store.read(key(a)).value()).as("account a after %s -> %s", fuzz, answer.body()).isEqualTo(expected[0]);
        assertThat(store.read(key(b)).value()).as("account b after %s -> %s", fuzz, answer.body()).isEqualTo(expected[1]);
    }

    /** The 2xx shapes the README documents for each route. */
    private static void documentedShape(Fuzz fuzz, JsonNode json) {
        String path = fuzz.path().replaceAll("\\?.*", "");
        String as = fuzz + " -> " + json;
        if (json.path("replayed").asBoolean(false)) return; // a replay carries the first answer's number only
        if (path.startsWith("/deposit-") || path.matches("/accounts/[0-9]+/deposits")) {
            assertThat(json.get("balance").isNumber()).as(as).isTrue();
            assertThat(json.has("version")).as(as).isTrue();
        } else if (path.equals("/transfer") || path.equals("/transfers")) {
            assertThat(json.get("success").asBoolean()).as(as).isTrue();
            assertThat(json.get("amount").isNumber()).as(as).isTrue();
        } else if (path.startsWith("/like/") || path.startsWith("/unlike/") || path.matches("/posts/[0-9]+/likes(/.*)?")) {
            assertThat(json.get("success").isBoolean()).as(as).isTrue();
            assertThat(json.get("message").isTextual()).as(as).isTrue();
        } else if (path.startsWith("/balance/") || path.matches("/accounts/[0-9]+")) {
            assertThat(json.get("balance").isNumber()).as(as).isTrue();
        } else if (path.matches("/posts/[0-9]+")) {
            assertThat(json.get("likes").isIntegralNumber()).as(as).isTrue();
        } else if (path.matches("/counters/[0-9]+/increments")) {
            assertThat(json.get("value").isIntegralNumber()).as(as).isTrue();
        } else if (path.matches("/products/[^/]+/orders")) {
            assertThat(json.get("orderId").isIntegralNumber()).as(as).isTrue();
            assertThat(json.get("stock").isIntegralNumber()).as(as).isTrue();
        } else if (path.equals("/reset")) {
            assertThat(json.get("message").asText()).as(as).isEqualTo("Reset complete");
        } else {
            throw new AssertionError("a 2xx from a route the test does not know: " + as);
        }
    }

    /** What a 2xx that is not a replay moved on this test's accounts. */
    private static void acknowledge(Fuzz fuzz, JsonNode json) throws Exception {
        if (json.path("replayed").asBoolean(false) || !fuzz.method().equals("POST")) return;
        String path = fuzz.path().replaceAll("\\?.*", "");
        JsonNode body = fuzz.body() == null ? null : RaceServer.JSON.readTree(fuzz.body());
        if (path.startsWith("/deposit-") || path.matches("/accounts/[0-9]+/deposits")) {
            int account = Integer.parseInt(path.split("/")[2]); // /deposit-NAME/ID and /accounts/ID/deposits alike
            move(account, cents(body.get("amount")));
        } else if (path.equals("/transfer") || path.equals("/transfers")) {
            long cents = cents(body.get("amount"));
            move(body.get("fromId").intValue(), -cents);
            move(body.get("toId").intValue(), cents);
        }
    }

    /** The server acknowledged it, so it has at most two decimals and is in range. */
    private static long cents(JsonNode amount) {
        return amount.decimalValue().movePointRight(2).longValueExact();
    }

    private static void move(int account, long cents) {
        if (account == a) expected[0] += cents;
        if (account == b) expected[1] += cents;
    }

    @Provide
    Arbitrary<Fuzz> requests() {
        Arbitrary<String> method = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.just("POST")), net.jqwik.api.Tuple.of(3, Arbitraries.just("GET")),
                net.jqwik.api.Tuple.of(2, Arbitraries.just("DELETE")), net.jqwik.api.Tuple.of(1, Arbitraries.of("PUT", "PATCH")));
        Arbitrary<String> contentType = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.just("application/json")),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("text/plain", "application/json; charset=utf-8", "application/x-www-form-urlencoded")),
                net.jqwik.api.Tuple.of(1, Arbitraries.just((String) null)));
        Arbitrary<String> idempotencyKey = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.just((String) null)),
                net.jqwik.api.Tuple.of(3, Arbitraries.of("k1", "k2", "k3").map(k -> "fuzz-" + a + "-" + k)),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().ofMaxLength(300).map(s -> s.replaceAll("[^ -~]", "x"))));
        Arbitrary<Fuzz> random = Combinators.combine(method, path(), body(), contentType, idempotencyKey).as(Fuzz::new);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, wellFormed(idempotencyKey)), net.jqwik.api.Tuple.of(7, random));
    }

    /** Writes a client means: to this test's accounts, with amounts the server takes, so that balances do move. */
    private Arbitrary<Fuzz> wellFormed(Arbitrary<String> idempotencyKey) {
        Arbitrary<String> account = Arbitraries.of(a, b).map(String::valueOf);
        Arbitrary<String> amount = Arbitraries.bigDecimals().between(new BigDecimal("0.01"), new BigDecimal("50")).ofScale(2)
                .map(BigDecimal::toPlainString);
        Arbitrary<String> depositPath = Combinators.combine(Arbitraries.of("/deposit-atomic/{}", "/deposit-optimistic/{}",
                "/deposit-broken/{}", "/deposit-distributed-fenced/{}", "/accounts/{}/deposits", "/accounts/{}/deposits?strategy=pessimistic",
                "/accounts/{}/deposits?strategy=optimistic"), account).as((t, id) -> t.replace("{}", id));
        Arbitrary<Fuzz> deposit = Combinators.combine(depositPath, amount, idempotencyKey)
                .as((path, n, key) -> new Fuzz("POST", path, "{\"amount\": " + n + "}", "application/json", key));
        Arbitrary<Fuzz> transfer = Combinators.combine(Arbitraries.of("/transfer", "/transfers"), Arbitraries.of(true, false), amount,
                idempotencyKey).as((path, aToB, n, key) -> new Fuzz("POST", path, "{\"fromId\": " + (aToB ? a : b) + ", \"toId\": "
                        + (aToB ? b : a) + ", \"amount\": " + n + "}", "application/json", key));
        Arbitrary<Fuzz> read = account.map(id -> new Fuzz("GET", "/balance/" + id, null, null, null));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(5, deposit), net.jqwik.api.Tuple.of(4, transfer),
                net.jqwik.api.Tuple.of(1, read));
    }

    /** An id the routes know, one they do not, or junk. */
    private Arbitrary<String> id() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.of(a, b).map(String::valueOf)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("1", "2", "3", "p1", "p3", "p404", "0", "-1", "2147483648", "99999999999")),
                net.jqwik.api.Tuple.of(2, number()),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(30)));
    }

    private Arbitrary<String> path() {
        Arbitrary<String> template = Arbitraries.of("/deposit-broken/{}", "/deposit-atomic/{}", "/deposit-optimistic/{}",
                "/deposit-distributed/{}", "/deposit-distributed-fenced/{}", "/transfer", "/like/{}", "/unlike/{}", "/balance/{}",
                "/accounts/{}", "/accounts/{}/deposits", "/transfers", "/posts/{}", "/posts/{}/likes", "/posts/{}/likes/{}",
                "/counters/{}/increments", "/products/{}/orders", "/reset", "/no/such/route", "/", "/races", "/metrics/x");
        Arbitrary<String> query = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.just("")),
                net.jqwik.api.Tuple.of(3, Arbitraries.of("naive", "atomic", "pessimistic", "optimistic", "serializable", "advisory",
                        "transactional", "lock", "lock-fenced", "sharded", "coalesce", "reserve-confirm", "bogus", "1e300000000")
                        .map(s -> "?strategy=" + s)),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().alpha().ofMaxLength(20).map(s -> "?" + s + "=" + s)));
        return Combinators.combine(template, id(), id(), query).as((t, x, y, q) -> t.replaceFirst("\\{}", x).replaceFirst("\\{}", y) + q);
    }

    /** Numbers as a client might send them: fine ones, ones just out of range, and ones with huge exponents or digit counts. */
    private Arbitrary<String> number() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, Arbitraries.integers().between(-100, 5_000).map(String::valueOf)),
                net.jqwik.api.Tuple.of(3, Arbitraries.bigDecimals().between(new BigDecimal("-100"), new BigDecimal("1000")).ofScale(3)
                        .map(BigDecimal::toPlainString)),
                net.jqwik.api.Tuple.of(2, Arbitraries.of("1e300000000", "-1e300000000", "1e-3000000", "1E+2147483647", "1e-2147483647",
                        "0.001", "10000000000.01", "1e2", "NaN", "Infinity", "-0", "9".repeat(200), "0." + "0".repeat(90) + "1")));
    }

    private Arbitrary<String> value() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, number()),
                net.jqwik.api.Tuple.of(2, id()),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().ofMaxLength(40).map(s -> RaceServer.JSON.getNodeFactory().textNode(s).toString())),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("null", "true", "[]", "{}", "[1, 2]", "{\"a\": 1}")));
    }

    private Arbitrary<String> body() {
        Arbitrary<String> field = Arbitraries.of("amount", "fromId", "toId", "userId", "quantity", "scenario", "x");
        Arbitrary<String> object = Combinators.combine(field, value()).as((f, v) -> "\"" + f + "\": " + v).list().ofMaxSize(4)
                .map(fields -> "{" + String.join(", ", fields) + "}");
        Arbitrary<String> transfer = Combinators.combine(id(), id(), number())
                .as((from, to, amount) -> "{\"fromId\": " + from + ", \"toId\": " + to + ", \"amount\": " + amount + "}");
        Arbitrary<String> deposit = number().map(n -> "{\"amount\": " + n + "}");
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, deposit),
                net.jqwik.api.Tuple.of(3, transfer),
                net.jqwik.api.Tuple.of(3, object),
                net.jqwik.api.Tuple.of(1, Arbitraries.just((String) null)),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().ofMaxLength(200)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("", "{", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
                        "{\"amount\": 1} {\"amount\": 1}", "{\"amount\": 1, \"amount\": 2}")));
    }
}
