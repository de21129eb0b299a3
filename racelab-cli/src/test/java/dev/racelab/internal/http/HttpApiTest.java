package dev.racelab.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import dev.racelab.core.Cell;
import dev.racelab.core.Clock;
import dev.racelab.internal.scenario.Accounts;
import dev.racelab.internal.scenario.LikeScenario;
import dev.racelab.internal.scenario.Product;
import dev.racelab.store.Layout;
import dev.racelab.store.Store;
import dev.racelab.store.StoreRoles;
import dev.racelab.internal.store.jdbc.JdbcStore;
import dev.racelab.testing.TestStores;
import dev.racelab.testing.Workers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The HTTP service on a random port, against this machine's PostgreSQL and Redis (for the
 * distributed lock), through a real HTTP client. Each test uses accounts and posts of its own,
 * created fresh, so rows left by earlier runs never matter; seed routes that name account 1
 * reset it first.
 */
class HttpApiTest {
    private static JdbcStore store;
    private static Store leases;
    private static RaceServer server;
    private static RaceService service;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        store = (JdbcStore) TestStores.open(TestStores.postgres(), Layout.KEYED, 32);
        leases = TestStores.open(TestStores.redis(), Layout.KEYED, 8);
        service = new RaceService(new StoreRoles(store, leases, store), Clock.SYSTEM);
        service.createMissingData(3);
        server = RaceServer.start("127.0.0.1", 0, Api.routes(service, true), null);
    }

    @AfterAll
    static void stop() {
        server.close();
        store.close();
        leases.close();
    }

    record Answer(int status, JsonNode json) {
    }

    private static Answer call(String method, String path, String body, String... headers) throws Exception {
        return call(HTTP, method, path, body, headers);
    }

    /** With a client of its own, a concurrent test opens connections of its own, none an earlier test left. */
    private static Answer call(HttpClient http, String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        boolean typed = false;
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
            typed |= headers[i].equalsIgnoreCase("Content-Type");
        }
        if (body != null && !typed) b.header("Content-Type", "application/json");
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), RaceServer.JSON.readTree(r.body()));
    }

    /**
     * A page on another site can send a text/plain POST to 127.0.0.1 without a preflight: every
     * write route refuses a body that is not JSON with 415, and nothing moves. Parameters on the
     * JSON type are fine, and a POST with no body needs no type.
     */
    @Test
    void aBodyThatIsNotJsonIsRefusedWith415AndChangesNothing() throws Exception {
        int account = freshAccount(100_000);
        int other = freshAccount(0);
        List<String[]> writes = List.of(
                new String[] {"POST", "/deposit-broken/" + account, "{\"amount\": 1}"},
                new String[] {"POST", "/deposit-atomic/" + account, "{\"amount\": 1}"},
                new String[] {"POST", "/deposit-optimistic/" + account, "{\"amount\": 1}"},
                new String[] {"POST", "/deposit-distributed/" + account, "{\"amount\": 1}"},
                new String[] {"POST", "/deposit-distributed-fenced/" + account, "{\"amount\": 1}"},
                new String[] {"POST", "/accounts/" + account + "/deposits?strategy=atomic", "{\"amount\": 1}"},
                new String[] {"POST", "/transfer", "{\"fromId\": " + account + ", \"toId\": " + other + ", \"amount\": 1}"},
                new String[] {"POST", "/transfers", "{\"fromId\": " + account + ", \"toId\": " + other + ", \"amount\": 1}"},
                new String[] {"POST", "/like/1", "{\"userId\": 424242}"},
                new String[] {"POST", "/posts/1/likes", "{\"userId\": 424243}"},
                new String[] {"POST", "/products/p1/orders", "{\"quantity\": 1}"});
        long likes = call("GET", "/posts/1", null).json().get("likes").asLong();
        for (String[] w : writes) {
            for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x")) {
                Answer a = call(w[0], w[1], w[2], "Content-Type", type);
                assertThat(a.status()).as(w[1] + " as " + type).isEqualTo(415);
                assertThat(a.json().get("error").asText()).contains("application/json");
            }
        }
        assertThat(balanceOf(account)).as("no deposit or transfer moved a cent").isEqualTo(100_000);
        assertThat(balanceOf(other)).isZero();
        assertThat(call("GET", "/posts/1", null).json().get("likes").asLong()).as("no like counted").isEqualTo(likes);
        Answer withCharset = call("POST", "/deposit-atomic/" + account, "{\"amount\": 1}", "Content-Type", "application/json; charset=utf-8");
        assertThat(withCharset.status()).isEqualTo(200);
        assertThat(balanceOf(account)).isEqualTo(100_100);
        assertThat(call("POST", "/reset", null).status()).as("an empty POST needs no type").isEqualTo(200);
    }

    /** A fresh account with this balance (minor units), under an id no other test or run uses. */
    private static int freshAccount(long balance) {
        int id = ThreadLocalRandom.current().nextInt(1_000_000, 2_000_000_000);
        store.createCells(List.of(new Cell(Accounts.key(RaceService.PREFIX, id), balance, 0)));
        return id;
    }

    private static long balanceOf(int account) {
        return store.read(Accounts.key(RaceService.PREFIX, account)).value();
    }

    @Test
    void theSeedRoutesAnswerWithTheSeedShapes() throws Exception {
        assertThat(call("POST", "/reset", null)).isEqualTo(new Answer(200, RaceServer.JSON.readTree("{\"message\":\"Reset complete\"}")));
        Answer balance = call("GET", "/balance/1", null);
        assertThat(balance.status()).isEqualTo(200);
        assertThat(balance.json().get("balance").decimalValue()).isEqualByComparingTo("1000.00");
        assertThat(balance.json().get("version").asLong()).isZero();
        for (String route : List.of("/deposit-broken/1", "/deposit-atomic/1", "/deposit-optimistic/1", "/deposit-distributed/1",
                "/deposit-distributed-fenced/1")) {
            Answer a = call("POST", route, "{\"amount\": 100}");
            assertThat(a.status()).as(route + " " + a.json()).isEqualTo(200);
            assertThat(a.json().has("balance")).as(route).isTrue();
        }
        assertThat(call("GET", "/balance/1", null).json().get("balance").decimalValue()).isEqualByComparingTo("1500.00");

        int from = freshAccount(100_000);
        int to = freshAccount(0);
        Answer transfer = call("POST", "/transfer", "{\"fromId\": " + from + ", \"toId\": " + to + ", \"amount\": 500}");
        assertThat(transfer.status()).isEqualTo(200);
        assertThat(transfer.json().get("success").asBoolean()).isTrue();
        assertThat(balanceOf(from)).isEqualTo(50_000);
        assertThat(balanceOf(to)).isEqualTo(50_000);

        int post = freshPost();
        assertThat(call("POST", "/like/" + post, "{\"userId\": 1}").json().get("message").asText()).isEqualTo("Liked!");
        Answer again = call("POST", "/like/" + post, "{\"userId\": 1}");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("message").asText()).isEqualTo("Already liked");
        assertThat(call("DELETE", "/unlike/" + post, "{\"userId\": 1}").json().get("message").asText()).isEqualTo("Unliked!");
        assertThat(call("DELETE", "/unlike/" + post, "{\"userId\": 1}").status()).as("unliking what is not liked").isEqualTo(422);

        Answer deadlock = call("POST", "/test-deadlock", null);
        assertThat(deadlock.status()).isEqualTo(200);
        assertThat(deadlock.json().get("code").asText()).isEqualTo("40P01");
        assertThat(deadlock.json().get("victim").asText()).isIn("txn1", "txn2");
    }

    private static int freshPost() {
        int post = ThreadLocalRandom.current().nextInt(1_000_000, 2_000_000_000);
        store.createCells(List.of(new Cell(LikeScenario.countKey(RaceService.PREFIX, post), 0, 0)));
        return post;
    }

    @Test
    void theResourceApiOffersEveryStrategy() throws Exception {
        int account = freshAccount(0);
        for (String strategy : List.of("naive", "atomic", "pessimistic", "optimistic", "serializable", "advisory", "transactional")) {
            Answer a = call("POST", "/accounts/" + account + "/deposits?strategy=" + strategy, "{\"amount\": 1.25}");
            assertThat(a.status()).as(strategy + " " + a.json()).isEqualTo(200);
            assertThat(a.json().get("strategy").asText()).isEqualTo(strategy);
        }
        assertThat(call("GET", "/accounts/" + account, null).json().get("balance").decimalValue()).isEqualByComparingTo("8.75");
        assertThat(call("POST", "/accounts/" + account + "/deposits?strategy=lock", "{\"amount\": 1}").status()).isEqualTo(200);
        assertThat(call("POST", "/accounts/" + account + "/deposits?strategy=bogus", "{\"amount\": 1}").status()).isEqualTo(400);
        assertThat(call("POST", "/accounts/" + account + "/deposits?strategy=decide-then-log", "{\"amount\": 1}").status()).isEqualTo(400);
        int other = freshAccount(100);
        assertThat(call("POST", "/transfers?strategy=atomic", "{\"fromId\": " + other + ", \"toId\": " + account + ", \"amount\": 1.01}").status())
                .as("insufficient funds").isEqualTo(409);
        assertThat(balanceOf(other)).isEqualTo(100);
        assertThat(call("POST", "/counters/1/increments?strategy=optimistic", null).status()).isEqualTo(200);
        assertThat(call("POST", "/products/p5/orders?strategy=transactional", "{\"quantity\": 2}").status()).isEqualTo(200);
        assertThat(call("POST", "/products/p404/orders", "{\"quantity\": 1}").status()).isEqualTo(404);
        int post = freshPost();
        assertThat(call("POST", "/posts/" + post + "/likes", "{\"userId\": 7}").status()).isEqualTo(200);
        assertThat(call("GET", "/posts/" + post, null).json().get("likes").asLong()).isEqualTo(1);
        assertThat(call("DELETE", "/posts/" + post + "/likes/7", null).status()).isEqualTo(200);
        assertThat(call("GET", "/posts/" + post, null).json().get("likes").asLong()).isZero();
        HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("racelab_http_requests").contains("route=\"POST /accounts/{id}/deposits\"");
    }

    @Test
    void aRetriedRequestWithTheSameIdempotencyKeyGetsTheFirstAnswerAndAppliesOnce() throws Exception {
        int account = freshAccount(0);
        String key = "test-" + System.nanoTime();
        Answer first = call("POST", "/accounts/" + account + "/deposits", "{\"amount\": 10}", "Idempotency-Key", key);
        call("POST", "/accounts/" + account + "/deposits", "{\"amount\": 5}"); // someone else's deposit in between
        Answer retry = call("POST", "/accounts/" + account + "/deposits", "{\"amount\": 10}", "Idempotency-Key", key);
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.json().get("replayed").asBoolean()).isTrue();
        assertThat(retry.json().get("balance").decimalValue()).isEqualByComparingTo(first.json().get("balance").decimalValue());
        assertThat(balanceOf(account)).as("10 once, plus the other 5").isEqualTo(1_500);
    }

    /**
     * A key reused with another request (another amount, another account, another route's
     * payload) is 422 and applies nothing, as the IETF Idempotency-Key draft and Stripe answer;
     * the same request again still gets the first answer.
     */
    @Test
    void anIdempotencyKeyReusedWithAnotherRequestIs422AndAppliesNothing() throws Exception {
        int account = freshAccount(0);
        int other = freshAccount(0);
        String key = "reuse-" + System.nanoTime();
        assertThat(call("POST", "/accounts/" + account + "/deposits", "{\"amount\": 10}", "Idempotency-Key", key).status()).isEqualTo(200);
        for (String[] mismatch : List.of(new String[] {"/accounts/" + account + "/deposits", "{\"amount\": 20}"},
                new String[] {"/accounts/" + other + "/deposits", "{\"amount\": 10}"},
                new String[] {"/deposit-atomic/" + account, "{\"amount\": 10.01}"})) {
            Answer a = call("POST", mismatch[0], mismatch[1], "Idempotency-Key", key);
            assertThat(a.status()).as(mismatch[0] + " " + mismatch[1] + " -> " + a.json()).isEqualTo(422);
            assertThat(a.json().get("error").asText()).contains("Idempotency-Key");
        }
        Answer same = call("POST", "/deposit-atomic/" + account, "{\"amount\": 10.00}", "Idempotency-Key", key);
        assertThat(same.status()).as("the same deposit, by the seed route: " + same.json()).isEqualTo(200);
        assertThat(same.json().get("replayed").asBoolean()).isTrue();
        assertThat(balanceOf(account)).as("only the first deposit").isEqualTo(1_000);
        assertThat(balanceOf(other)).isZero();

        String transferKey = "reuse-transfer-" + System.nanoTime();
        String transfer = "{\"fromId\": " + account + ", \"toId\": " + other + ", \"amount\": ";
        assertThat(call("POST", "/transfers", transfer + "1}", "Idempotency-Key", transferKey).status()).isEqualTo(200);
        assertThat(call("POST", "/transfers", transfer + "2}", "Idempotency-Key", transferKey).status()).isEqualTo(422);
        assertThat(call("POST", "/transfers", transfer + "1}", "Idempotency-Key", transferKey).status()).isEqualTo(200);
        assertThat(balanceOf(account)).isEqualTo(900);
        assertThat(balanceOf(other)).isEqualTo(100);

        String orderKey = "reuse-order-" + System.nanoTime();
        long stock = store.read(Product.stockKey(RaceService.PREFIX, "p4")).value();
        int first = call("POST", "/products/p4/orders", "{\"quantity\": 1}", "Idempotency-Key", orderKey).status();
        assertThat(call("POST", "/products/p4/orders", "{\"quantity\": 2}", "Idempotency-Key", orderKey).status()).isEqualTo(422);
        assertThat(store.read(Product.stockKey(RaceService.PREFIX, "p4")).value()).isEqualTo(first == 200 ? stock - 1 : stock);
    }

    /** Many retries of one request at the same moment: the guard row lets exactly one apply. */
    @Test
    void concurrentRetriesOfOneKeyApplyOnce() throws Exception {
        int account = freshAccount(0);
        String key = "race-" + System.nanoTime();
        List<Integer> statuses = java.util.Collections.synchronizedList(new ArrayList<>());
        HttpClient own = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Workers.runTogether(20, Duration.ofSeconds(60), i -> {
            int status = call(own, "POST", "/accounts/" + account + "/deposits?strategy=pessimistic", "{\"amount\": 10}",
                    "Idempotency-Key", key).status();
            assertThat(status).as("a retry of one key").isIn(200, 409);
            statuses.add(status);
        });
        assertThat(balanceOf(account)).isEqualTo(1_000);
        assertThat(statuses).hasSize(20).contains(200);
    }

    /** Under concurrent likes and unlikes from many clients, each count equals its rows. */
    @Test
    void concurrentLikesAndUnlikesKeepTheCountEqualToTheRows() throws Exception {
        int post = freshPost();
        HttpClient own = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        // At most 32 requests in flight: with 200 connections opened at once the server reset a few of them on this
        // 2-core machine (seen twice in CI, not yet explained); 32 clients still race on the same likes.
        java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(32);
        Workers.runTogether(200, Duration.ofSeconds(60), i -> {
            int user = 1 + i % 12;
            inFlight.acquire();
            try {
                if (i % 3 == 0) {
                    assertThat(call(own, "DELETE", "/unlike/" + post, "{\"userId\": " + user + "}").status()).as("an unlike").isIn(200, 422);
                } else {
                    assertThat(call(own, "POST", "/like/" + post, "{\"userId\": " + user + "}").status()).as("a like").isEqualTo(200);
                }
            } finally {
                inFlight.release();
            }
        });
        long count = call("GET", "/posts/" + post, null).json().get("likes").asLong();
        List<String> rows = store.guards(RaceService.PREFIX + "like:post:" + post + ":");
        assertThat(count).isEqualTo(rows.size()).isBetween(0L, 12L);
        store.deleteGuards(RaceService.PREFIX + "like:post:" + post + ":");
    }

    /** Bad input gets a 4xx with {"error": ...} and changes nothing. */
    @Test
    void aBadInputCorpusIsRefusedAndChangesNothing() throws Exception {
        int account = freshAccount(100_000);
        int other = freshAccount(100_000);
        String deposit = "/accounts/" + account + "/deposits";
        List<String[]> corpus = List.of(
                new String[] {"POST", deposit, "{\"amount\": -5}"},
                new String[] {"POST", deposit, "{\"amount\": 0}"},
                new String[] {"POST", deposit, "{\"amount\": NaN}"},
                new String[] {"POST", deposit, "{\"amount\": \"100\"}"},
                new String[] {"POST", deposit, "{\"amount\": 1e400}"},
                new String[] {"POST", deposit, "{\"amount\": 99999999999999999999999999}"},
                new String[] {"POST", deposit, "{\"amount\": 10.001}"},
                new String[] {"POST", deposit, "{}"},
                new String[] {"POST", deposit, null},
                new String[] {"POST", deposit, "amount=10"},
                new String[] {"POST", deposit, "[10]"},
                new String[] {"POST", deposit, "{\"amount\": 10} {\"amount\": 10}"},
                new String[] {"POST", deposit, "{\"amount\": 10, \"amount\": 20}"},
                new String[] {"POST", "/deposit-atomic/" + account + "%27%3B%20DROP%20TABLE%20racelab_cell%3B--", "{\"amount\": 10}"},
                new String[] {"POST", "/deposit-atomic/1%20OR%201=1", "{\"amount\": 10}"},
                new String[] {"POST", "/deposit-atomic/-1", "{\"amount\": 10}"},
                new String[] {"POST", "/deposit-atomic/99999999999", "{\"amount\": 10}"},
                new String[] {"POST", "/deposit-atomic/2147483000", "{\"amount\": 10}"},
                new String[] {"POST", "/transfer", "{\"fromId\": " + account + ", \"toId\": " + account + ", \"amount\": 1}"},
                new String[] {"POST", "/transfer", "{\"fromId\": " + account + ", \"toId\": 2147483001, \"amount\": 1}"},
                new String[] {"POST", "/transfer", "{\"fromId\": \"" + account + "\", \"toId\": " + other + ", \"amount\": 1}"},
                new String[] {"POST", "/transfer", "{\"fromId\": " + account + ", \"toId\": " + other + "}"},
                new String[] {"POST", "/transfer", "{\"fromId\": " + account + ", \"toId\": " + other + ", \"amount\": 1000000}"},
                new String[] {"POST", "/like/1", "{\"userId\": \"1' OR '1'='1\"}"},
                new String[] {"POST", "/like/1", "{\"userId\": 1.5}"},
                new String[] {"DELETE", "/unlike/1", "{}"},
                new String[] {"GET", "/balance/abc", null},
                new String[] {"GET", "/accounts/2147483002", null},
                new String[] {"PUT", deposit, "{\"amount\": 10}"},
                new String[] {"GET", "/no/such/route", null},
                new String[] {"POST", deposit, "{\"amount\": 10, \"pad\": \"" + "x".repeat(17 * 1024) + "\"}"});
        for (String[] c : corpus) {
            Answer a = call(c[0], c[1], c[2]);
            assertThat(a.status()).as(String.join(" ", c[0], c[1], String.valueOf(c[2])).substring(0, Math.min(120,
                    String.join(" ", c[0], c[1], String.valueOf(c[2])).length())) + " -> " + a.json()).isBetween(400, 499);
            assertThat(a.json().has("error")).isTrue();
        }
        assertThat(balanceOf(account)).isEqualTo(100_000);
        assertThat(balanceOf(other)).isEqualTo(100_000);
    }

    /** Numbers whose exponent reaches far or deep, or whose digits run long: the shapes that once took the server down. */
    static final List<String> HUGE_NUMBERS = List.of("1e300000000", "-1e300000000", "1e-3000000", "1E+2147483647",
            "1e-2147483647", "0." + "0".repeat(900) + "1", "9".repeat(900), "9".repeat(5_000), "1" + "0".repeat(900) + "e-900");
    /** The issue asks for "within a second": the refusal does no work, and the unbounded parse took minutes. */
    static final Duration ANSWER_BOUND = Duration.ofSeconds(1);

    /**
     * Every number a request carries, in its body, path or query, with a huge exponent or digit
     * count: a 4xx within a second, a short message that does not echo the number in full, and
     * no balance, count or stock moves.
     */
    @Test
    void aNumberWithAHugeExponentIsRefusedWithA4xxWithinASecond() throws Exception {
        int account = freshAccount(100_000);
        int other = freshAccount(100_000);
        int post = freshPost();
        long stock = store.read(Product.stockKey(RaceService.PREFIX, "p3")).value();
        long likes = call("GET", "/posts/" + post, null).json().get("likes").asLong();
        for (String n : HUGE_NUMBERS) {
            List<String[]> requests = new ArrayList<>();
            for (String route : List.of("/deposit-broken/", "/deposit-atomic/", "/deposit-optimistic/", "/deposit-distributed/",
                    "/deposit-distributed-fenced/")) {
                requests.add(new String[] {"POST", route + account, "{\"amount\": " + n + "}"});
                requests.add(new String[] {"POST", route + n, "{\"amount\": 1}"});
            }
            requests.add(new String[] {"POST", "/accounts/" + account + "/deposits", "{\"amount\": " + n + "}"});
            requests.add(new String[] {"POST", "/accounts/" + account + "/deposits?strategy=" + n, "{\"amount\": 1}"});
            for (String route : List.of("/transfer", "/transfers")) {
                requests.add(new String[] {"POST", route, "{\"fromId\": " + account + ", \"toId\": " + other + ", \"amount\": " + n + "}"});
                requests.add(new String[] {"POST", route, "{\"fromId\": " + n + ", \"toId\": " + other + ", \"amount\": 1}"});
                requests.add(new String[] {"POST", route, "{\"fromId\": " + account + ", \"toId\": " + n + ", \"amount\": 1}"});
            }
            requests.add(new String[] {"POST", "/like/" + post, "{\"userId\": " + n + "}"});
            requests.add(new String[] {"DELETE", "/unlike/" + post, "{\"userId\": " + n + "}"});
            requests.add(new String[] {"POST", "/posts/" + post + "/likes", "{\"userId\": " + n + "}"});
            requests.add(new String[] {"DELETE", "/posts/" + post + "/likes/" + n, null});
            requests.add(new String[] {"POST", "/products/p3/orders", "{\"quantity\": " + n + "}"});
            requests.add(new String[] {"POST", "/counters/" + n + "/increments", null});
            requests.add(new String[] {"GET", "/balance/" + n, null});
            requests.add(new String[] {"GET", "/accounts/" + n, null});
            requests.add(new String[] {"GET", "/posts/" + n, null});
            for (String[] r : requests) {
                String what = r[0] + " " + r[1].substring(0, Math.min(60, r[1].length())) + " "
                        + (r[2] == null ? "" : r[2].substring(0, Math.min(60, r[2].length())));
                Answer a = assertTimeoutPreemptively(ANSWER_BOUND, () -> call(r[0], r[1], r[2]), what);
                assertThat(a.status()).as(what + " -> " + a.json()).isBetween(400, 499);
                assertThat(a.json().get("error").asText()).as(what).hasSizeLessThan(600);
            }
        }
        assertThat(balanceOf(account)).isEqualTo(100_000);
        assertThat(balanceOf(other)).isEqualTo(100_000);
        assertThat(call("GET", "/posts/" + post, null).json().get("likes").asLong()).isEqualTo(likes);
        assertThat(store.read(Product.stockKey(RaceService.PREFIX, "p3")).value()).isEqualTo(stock);
    }
}
