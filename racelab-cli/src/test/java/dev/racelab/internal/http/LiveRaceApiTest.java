package dev.racelab.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import dev.racelab.core.Clock;
import dev.racelab.internal.run.LiveRaces;
import dev.racelab.store.Layout;
import dev.racelab.store.Store;
import dev.racelab.store.StoreRoles;
import dev.racelab.internal.strategy.ReadWriteGap;
import dev.racelab.testing.TestStores;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The live races over HTTP, on this machine's PostgreSQL, through a real HTTP client and the
 * event stream as a browser's EventSource reads it. Three servers: one as {@code --demo} with
 * {@code --naive-barrier 4}, one behind an admin token whose naive races hold at a gate the
 * test opens (so a race is certainly still running when the second start comes), and one with
 * neither. Every race works on cells of its own under a fresh prefix.
 */
class LiveRaceApiTest {
    private static final String TOKEN = "s3cret-token";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final CountDownLatch GATE = new CountDownLatch(1);
    private static final CountDownLatch HOLDING = new CountDownLatch(1);
    private static Store store;
    private static RaceServer demo;
    private static RaceServer guarded;
    private static RaceServer closed;

    @BeforeAll
    static void start() {
        store = TestStores.open(TestStores.postgres(), Layout.KEYED, 16);
        StoreRoles roles = new StoreRoles(store, null, store);
        LiveRaces demoRaces = new LiveRaces(roles, "postgres", null, 1, LiveRaces.NaiveGap.rendezvous(4, Clock.SYSTEM), Clock.SYSTEM);
        demo = RaceServer.start("127.0.0.1", 0, LiveApi.routes(demoRaces, true, false, null), null, demoRaces);
        // Naive reads wait here until the test opens the gate: the race that holds is running until then, whatever the machine's speed.
        LiveRaces.NaiveGap gated = concurrency -> (ReadWriteGap) () -> {
            HOLDING.countDown();
            try {
                if (!GATE.await(60, TimeUnit.SECONDS)) throw new IllegalStateException("the test never opened the gate");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        LiveRaces guardedRaces = new LiveRaces(roles, "postgres", null, 1, gated, Clock.SYSTEM);
        guarded = RaceServer.start("127.0.0.1", 0, LiveApi.routes(guardedRaces, true, true, null), TOKEN, guardedRaces);
        LiveRaces closedRaces = new LiveRaces(roles, "postgres", null, 1, LiveRaces.NaiveGap.NONE, Clock.SYSTEM);
        closed = RaceServer.start("127.0.0.1", 0, LiveApi.routes(closedRaces, false, false, null), null, closedRaces);
    }

    @AfterAll
    static void stop() {
        GATE.countDown();
        for (RaceServer s : List.of(demo, guarded, closed)) s.close();
        store.close();
    }

    record Answer(int status, JsonNode json, HttpResponse<String> raw) {
    }

    private static Answer call(RaceServer server, String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) b.header("Content-Type", "application/json");
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        boolean json = r.headers().firstValue("Content-Type").orElse("").startsWith("application/json");
        return new Answer(r.statusCode(), json ? RaceServer.JSON.readTree(r.body()) : null, r);
    }

    private static String race(String scenario, String strategy, Object concurrency, Object operations) {
        return "{\"scenario\": \"" + scenario + "\", \"strategy\": \"" + strategy + "\", \"concurrency\": " + concurrency
                + ", \"operations\": " + operations + "}";
    }

    /** One Server-Sent Event as an EventSource would see it. */
    record Event(String name, String id, JsonNode data) {
    }

    /** Reads the race's whole event stream, which ends after "done". */
    private static List<Event> events(RaceServer server, String id, String lastEventId) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/races/" + id + "/events"))
                .header("Accept", "text/event-stream");
        if (lastEventId != null) b.header("Last-Event-ID", lastEventId);
        HttpResponse<Stream<String>> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        assertThat(r.headers().firstValue("Content-Security-Policy").orElse("")).contains("default-src 'none'");
        List<Event> events = new ArrayList<>();
        String name = null;
        String eventId = null;
        StringBuilder data = new StringBuilder();
        try (Stream<String> lines = r.body()) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.isEmpty()) {
                    if (name != null) events.add(new Event(name, eventId, RaceServer.JSON.readTree(data.toString())));
                    name = null;
                    eventId = null;
                    data.setLength(0);
                } else if (line.startsWith("event: ")) {
                    name = line.substring(7);
                } else if (line.startsWith("id: ")) {
                    eventId = line.substring(4);
                } else if (line.startsWith("data: ")) {
                    data.append(line.substring(6));
                }
            }
        }
        return events;
    }

    private static JsonNode awaitEnd(RaceServer server, String id) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            JsonNode race = call(server, "GET", "/races/" + id, null).json();
            if (!race.get("state").asText().equals("running")) return race;
            Thread.sleep(50);
        }
        throw new AssertionError("race " + id + " did not end in 90 s");
    }

    /**
     * A naive deposit race of 4 clients x 100 under --naive-barrier 4: in every round the four
     * read the same balance and all write it plus one deposit, so exactly 300 of the 400
     * acknowledged deposits are lost. The stream has the race, ticks in order, and the verdict:
     * the checker's, in the CLI's words.
     */
    @Test
    void aNaiveRaceStreamsItsTicksAndEndsWithTheCheckersVerdictOnTheForcedLoss() throws Exception {
        Answer started = call(demo, "POST", "/races", race("deposit", "naive", 4, 400));
        assertThat(started.status()).as(started.raw().body()).isEqualTo(201);
        String id = started.json().get("id").asText();
        assertThat(started.json().get("events").asText()).isEqualTo("/races/" + id + "/events");

        List<Event> events = events(demo, id, null);
        assertThat(events.get(0).name()).isEqualTo("race");
        assertThat(events.get(0).data().get("strategy").asText()).isEqualTo("naive");
        assertThat(events.get(events.size() - 1).name()).isEqualTo("done");
        List<Event> ticks = events.stream().filter(e -> e.name().equals("tick")).toList();
        assertThat(ticks).as("at least the tick after the load").isNotEmpty();
        for (int i = 0; i < ticks.size(); i++) assertThat(ticks.get(i).id()).isEqualTo(String.valueOf(i));
        long lastDone = -1;
        for (Event t : ticks) {
            assertThat(t.data().get("done").asLong()).isGreaterThanOrEqualTo(lastDone);
            lastDone = t.data().get("done").asLong();
        }
        JsonNode lastTick = ticks.get(ticks.size() - 1).data();
        assertThat(lastTick.get("done").asLong()).isEqualTo(400);
        assertThat(lastTick.get("inFlight").asInt()).isZero();
        assertThat(lastTick.get("acknowledged").asLong()).isEqualTo(100_000 + 400 * 1_000);
        assertThat(lastTick.get("stored").asLong()).isEqualTo(100_000 + 100 * 1_000);
        assertThat(lastTick.get("lost").asLong()).isEqualTo(300 * 1_000);

        JsonNode done = events.get(events.size() - 1).data();
        assertThat(done.get("state").asText()).isEqualTo("done");
        JsonNode result = done.get("result");
        assertThat(result.get("verdict").asText()).isEqualTo("FAIL");
        assertThat(result.get("invoked").asLong()).isEqualTo(400);
        assertThat(result.get("ok").asLong()).isEqualTo(400);
        assertThat(result.get("lostUpdates").asLong()).isEqualTo(300 * 1_000);
        assertThat(done.get("sentence").asText()).startsWith("naive: FAIL");
        assertThat(call(demo, "GET", "/races/" + id, null).json().get("sentence").asText()).isEqualTo(done.get("sentence").asText());

        // A page that reconnects after the first tick gets only the ticks after it, then the verdict again.
        List<Event> resumed = events(demo, id, "0");
        assertThat(resumed.stream().filter(e -> e.name().equals("tick")).map(Event::id).toList())
                .isEqualTo(ticks.stream().skip(1).map(Event::id).toList());
        assertThat(resumed.get(resumed.size() - 1).name()).isEqualTo("done");
    }

    /** The same race with atomic: the store adds in place, nothing is lost, and the checker says PASS. */
    @Test
    void anAtomicFlashSaleEndsPassWithEveryUnitSoldOnceAndTheRestSoldOut() throws Exception {
        Answer started = call(demo, "POST", "/races", race("flash-sale", "atomic", 8, 400));
        assertThat(started.status()).as(started.raw().body()).isEqualTo(201);
        List<Event> events = events(demo, started.json().get("id").asText(), null);
        JsonNode done = events.get(events.size() - 1).data();
        JsonNode result = done.get("result");
        assertThat(result.get("verdict").asText()).isEqualTo("PASS");
        assertThat(result.get("ok").asLong()).as("the stock of 100, once each").isEqualTo(100);
        assertThat(result.get("rejected").get("soldOut").asLong()).isEqualTo(300);
        assertThat(result.get("orders").asLong()).isEqualTo(100);
        assertThat(result.get("oversold").asLong()).isZero();
        assertThat(done.get("sentence").asText()).startsWith("atomic: PASS");
        JsonNode lastTick = events.stream().filter(e -> e.name().equals("tick")).reduce((a, b) -> b).orElseThrow().data();
        assertThat(lastTick.get("refused").asLong()).isEqualTo(300);
        assertThat(lastTick.get("stored").asLong()).isZero();
        assertThat(lastTick.get("lost").asLong()).isZero();
    }

    /** Each bad input is a 400 that names its field and says what is allowed; none starts a race. */
    @Test
    void badInputIsA400NamingTheFieldAndStartsNothing() throws Exception {
        int racesBefore = call(demo, "GET", "/races", null).json().get("races").size();
        record Bad(String body, String field, String says) {
        }
        List<Bad> corpus = List.of(
                new Bad(race("deposit", "atomic", 0, 400), "concurrency", "must be between 1 and 1,000 clients, was 0"),
                new Bad(race("deposit", "atomic", 100_000, 400_000), "concurrency", "must be between 1 and 1,000 clients, was 100,000"),
                new Bad(race("deposit", "atomic", 99_999_999_999L, 400), "concurrency", "must be between 1 and 1,000"),
                new Bad(race("deposit", "atomic", "\"eight\"", 400), "concurrency", "must be a whole number"),
                new Bad(race("deposit", "atomic", 2.5, 400), "concurrency", "must be a whole number"),
                new Bad("{\"scenario\": \"deposit\", \"strategy\": \"atomic\"}", "concurrency", "concurrency is required"),
                new Bad(race("deposit", "atomic", 8, 4), "operations", "must be between the concurrency (8, one per client) and 100,000"),
                new Bad(race("deposit", "atomic", 8, 100_001), "operations", "100,000"),
                new Bad(race("deposit", "fastest", 8, 400), "strategy", "unknown strategy 'fastest'; choose one of: naive-nokey, naive"),
                new Bad(race("deposit", "naive-nokey", 8, 400), "strategy", "cannot run the deposit race on this server: it keeps its cells in a table with no primary key"),
                new Bad(race("flash-sale", "reserve-confirm", 8, 400), "strategy", "logs orders in a second store"),
                new Bad(race("deposit", "lock", 8, 400), "strategy", "the server has no lease store"),
                new Bad(race("transfer", "atomic", 8, 400), "scenario", "unknown scenario 'transfer'; choose one of: deposit, flash-sale"),
                new Bad("[1, 2]", "scenario", "must be a JSON object"),
                new Bad("{\"scenario\": 7, \"strategy\": \"atomic\", \"concurrency\": 8}", "scenario", "must be a string"));
        for (Bad bad : corpus) {
            Answer a = call(demo, "POST", "/races", bad.body());
            assertThat(a.status()).as(bad.body()).isEqualTo(400);
            assertThat(a.json().get("field").asText()).as(bad.body()).isEqualTo(bad.field());
            assertThat(a.json().get("error").asText()).as(bad.body()).contains(bad.says());
        }
        assertThat(call(demo, "POST", "/races", "{not json").status()).isEqualTo(400);
        assertThat(call(demo, "GET", "/races", null).json().get("races").size()).as("no race started").isEqualTo(racesBefore);
    }

    /** The live page's numbers with a huge exponent or digit count: a 400 naming the field within a second, quoting it short. */
    @Test
    void aNumberWithAHugeExponentIsA400WithinASecondAndStartsNothing() throws Exception {
        int racesBefore = call(demo, "GET", "/races", null).json().get("races").size();
        for (String n : HttpApiTest.HUGE_NUMBERS) {
            for (String body : List.of(race("deposit", "atomic", n, 400), race("deposit", "atomic", 8, n),
                    "{\"scenario\": " + n + ", \"strategy\": \"atomic\", \"concurrency\": 8}")) {
                String what = body.substring(0, Math.min(100, body.length()));
                Answer a = assertTimeoutPreemptively(HttpApiTest.ANSWER_BOUND, () -> call(demo, "POST", "/races", body), what);
                assertThat(a.status()).as(what).isEqualTo(400);
                assertThat(a.json().get("error").asText()).as(what).hasSizeLessThan(600);
            }
        }
        assertThat(call(demo, "GET", "/races", null).json().get("races").size()).as("no race started").isEqualTo(racesBefore);
    }

    /**
     * Behind a token: no token or a wrong one is a 401 and starts nothing. With it, a naive race
     * starts and holds at the gate, so it is running when a second start comes: that one is a
     * 409 naming the running race and the limit. Once the gate opens and the race ends, a start
     * succeeds again.
     */
    @Test
    void startingNeedsTheTokenAndASecondRaceWhileOneRunsIs409() throws Exception {
        Answer none = call(guarded, "POST", "/races", race("deposit", "atomic", 2, 2));
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.json().get("error").asText()).contains("X-Admin-Token");
        assertThat(call(guarded, "POST", "/races", race("deposit", "atomic", 2, 2), "X-Admin-Token", "wrong").status()).isEqualTo(401);
        assertThat(call(guarded, "GET", "/races", null).json().get("races")).as("nothing started").isEmpty();
        JsonNode options = call(guarded, "GET", "/races", null).json().get("options");
        assertThat(options.get("tokenRequired").asBoolean()).isTrue();
        assertThat(options.get("racesAtOnce").asInt()).isEqualTo(1);

        Answer held = call(guarded, "POST", "/races", race("deposit", "naive", 2, 2), "X-Admin-Token", TOKEN);
        assertThat(held.status()).as(held.raw().body()).isEqualTo(201);
        String first = held.json().get("id").asText();
        assertThat(HOLDING.await(30, TimeUnit.SECONDS)).as("a naive client reached the gate").isTrue();
        Answer second = call(guarded, "POST", "/races", race("deposit", "atomic", 2, 2), "X-Admin-Token", TOKEN);
        assertThat(second.status()).isEqualTo(409);
        assertThat(second.json().get("error").asText()).contains("a race is already running (" + first + ")").contains("at most 1 at once");
        assertThat(second.json().get("running").get(0).asText()).isEqualTo(first);
        assertThat(call(guarded, "GET", "/races/" + first, null).json().get("state").asText()).isEqualTo("running");

        GATE.countDown();
        assertThat(awaitEnd(guarded, first).get("state").asText()).isEqualTo("done");
        Answer after = call(guarded, "POST", "/races", race("deposit", "atomic", 2, 2), "X-Admin-Token", TOKEN);
        assertThat(after.status()).as(after.raw().body()).isEqualTo(201);
        assertThat(awaitEnd(guarded, after.json().get("id").asText()).get("result").get("verdict").asText()).isEqualTo("PASS");
    }

    /** Without --demo or a token, races cannot start (403, saying how to allow it); the page and its files are served with the CSP. */
    @Test
    void aServerWithNeitherDemoNorTokenRefusesStartsAndServesThePageFromTheJar() throws Exception {
        Answer refused = call(closed, "POST", "/races", race("deposit", "atomic", 2, 2));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().get("error").asText()).contains("--demo").contains("--admin-token");
        assertThat(call(closed, "GET", "/races", null).json().get("options").get("startAllowed").asBoolean()).isFalse();

        Answer page = call(closed, "GET", "/", null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.raw().headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(page.raw().headers().firstValue("Content-Security-Policy").orElse(""))
                .contains("default-src 'none'").contains("script-src 'self'").contains("connect-src 'self'").doesNotContain("unsafe");
        assertThat(page.raw().body()).contains("src=\"/live/live.js\"").doesNotContain("http://").doesNotContain("https://")
                .doesNotContain("<script>").doesNotContain("style=");
        for (String file : List.of("/live/live.js", "/live/live.css", "/live/favicon.svg")) {
            Answer a = call(closed, "GET", file, null);
            assertThat(a.status()).as(file).isEqualTo(200);
            assertThat(a.raw().body()).as(file).doesNotContain("https://").doesNotContain("http://example");
        }
        assertThat(call(closed, "GET", "/live/other.js", null).status()).isEqualTo(404);
        Answer unknown = call(closed, "GET", "/races/nope", null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("error").asText()).contains("no race 'nope'");
        assertThat(call(closed, "GET", "/races/nope/events", null).status()).isEqualTo(404);
    }
}
