package dev.racelab.internal.probe.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.racelab.internal.cli.ExitCode;
import dev.racelab.internal.cli.Main;
import dev.racelab.internal.json.Json;
import dev.racelab.internal.load.SeedServer;
import dev.racelab.internal.load.SeedServer.BalanceFormat;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * `racelab probe http` end to end, against seed-shaped servers the test starts: the verdicts
 * with exact counts (barriers force every race), the three invariants, and the bad input
 * that must stop a probe before its first request under test.
 */
class ProbeHttpTest {
    private SeedServer server;

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    record Result(int code, String out, String err) {
        void isOneLineUsageError(String mentioning) {
            assertThat(code).as("exit code; stderr: %s", err).isEqualTo(ExitCode.USAGE);
            assertThat(err.strip()).doesNotContain("\n").startsWith("racelab: ").contains(mentioning);
            assertThat(out).isEmpty();
        }

        String row() {
            return out.split("\n")[2];
        }
    }

    static Result probe(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(Stream.concat(Stream.of("probe", "http"), Stream.of(args)).toArray(String[]::new),
                new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    /**
     * Seed 003's probe of account 1's deposits. {@code more} are flag-value pairs that replace
     * the defaults' (a null value drops the flag) or add to them.
     */
    private String[] deposit(String route, int requests, String... more) {
        Map<String, String> flags = new LinkedHashMap<>();
        flags.put("--url", server.url());
        flags.put("--request", "POST " + route);
        flags.put("--body", "{\"amount\": 10}");
        flags.put("--read", "GET /balance/1");
        if (server.balanceFormat != BalanceFormat.PLAIN_TEXT) flags.put("--value", "balance");
        flags.put("--expect", "sum");
        flags.put("--delta", "10");
        flags.put("--setup", "POST /reset");
        flags.put("--requests", Integer.toString(requests));
        flags.put("--concurrency", Integer.toString(requests));
        for (int i = 0; i < more.length; i += 2) flags.put(more[i], more[i + 1]);
        List<String> args = new ArrayList<>();
        flags.forEach((flag, value) -> {
            if (value != null) args.addAll(List.of(flag, value));
        });
        return args.toArray(String[]::new);
    }

    /**
     * The barrier holds every deposit between its read and its write until all 20 have read
     * 1000.00, so each writes 1010.00: 19 of the 20 acknowledged deposits are lost, for
     * certain, whether the balance comes back as a number, a decimal string or plain text.
     */
    @ParameterizedTest
    @EnumSource(value = BalanceFormat.class, names = {"NUMBER", "DECIMAL_STRING", "PLAIN_TEXT"})
    void aRacyServerFailsWithTheExactLossTheBarrierForces(BalanceFormat format) throws Exception {
        server = SeedServer.start(SeedServer.racy(20));
        server.balanceFormat = format;
        server.balance.set(50_000); // the setup's reset must bring it back to 1000.00
        Result r = probe(deposit("/deposit-broken/1", 20));
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.FAIL);
        String what = format == BalanceFormat.PLAIN_TEXT ? "the value" : "balance";
        assertThat(r.out()).contains("FAIL: 190.00 of the 200.00 that 20 acknowledged requests added to " + what
                + " is missing: lost updates.");
        assertThat(r.row()).startsWith("POST /deposit-broken/1").contains(" 20 ", "1000.00", "1010.00", "1200.00", "190.00")
                .endsWith("FAIL");
        assertThat(r.err()).contains("racelab: probe: 20 x POST " + server.url() + "/deposit-broken/1 {\"amount\": 10}");
        assertThat(server.arrivals.get()).isEqualTo(20);
    }

    @ParameterizedTest
    @EnumSource(value = BalanceFormat.class, names = {"NUMBER", "DECIMAL_STRING", "PLAIN_TEXT"})
    void anAtomicServerPasses(BalanceFormat format) throws Exception {
        server = SeedServer.start(SeedServer.atomic());
        server.balanceFormat = format;
        Result r = probe(deposit("/deposit-atomic/1", 200, "--concurrency", "50"));
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.PASS);
        assertThat(r.row()).contains("200", "1000.00", "3000.00").endsWith("PASS");
        assertThat(r.out()).contains("PASS: every acknowledged request is in ");
        assertThat(server.balance.get()).isEqualTo(300_000);
    }

    @Test
    void chunkedAnswersAreReadToo() throws Exception {
        server = SeedServer.start(SeedServer.atomic());
        server.chunked = true;
        Result r = probe(deposit("/deposit-atomic/1", 30));
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.PASS);
        assertThat(r.row()).contains("1300.00");
    }

    @Test
    void theDeltaCanComeFromEachBodyAndTheJsonHasEveryField(@TempDir Path dir) throws Exception {
        server = SeedServer.start(SeedServer.refusing(n -> n % 5 == 0, SeedServer.Reply.error(422, "no")));
        Path json = dir.resolve("probe.json");
        Result r = probe(deposit("/deposit-atomic/1", 40, "--concurrency", "8", "--delta", null, "--delta-from", "body.amount",
                "--body", "{\"amount\": {{rand:1-9}}, \"ref\": \"{{uuid}}-{{i}}\"}", "--rejected", "409,422",
                "--json", json.toString()));
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.PASS);
        assertThat(r.out()).contains("8 requests were rejected with 422 and the client was told, which is not a loss");
        JsonNode node = Json.MAPPER.readTree(Files.readString(json));
        for (String key : new String[] {"url", "request", "body", "read", "value", "expect", "deltaFrom", "okStatuses",
                "rejectedStatuses", "requests", "concurrency", "ok", "rejected", "failed", "unknown", "statuses", "start",
                "final", "expected", "expectedMin", "expectedMax", "lostUpdates", "phantom", "durationMs", "requestsPerSec",
                "latencyMs", "firstError", "verdict", "explanation"}) {
            assertThat(node.has(key)).as("key %s in %s", key, node).isTrue();
        }
        assertThat(node.get("ok").asLong()).isEqualTo(32);
        assertThat(node.get("rejected").asLong()).isEqualTo(8);
        assertThat(node.get("final").decimalValue()).isEqualByComparingTo(SeedServer.Reply.balance(server.balance.get())
                .body().replaceAll("[^0-9.]", ""));
        assertThat(node.get("final").decimalValue()).isEqualByComparingTo(node.get("expected").decimalValue());
        assertThat(node.get("verdict").asText()).isEqualTo("PASS");
    }

    // ---- floor

    /** All 20 read a stock of 5 before any writes, so all 20 are sold: oversold by 15. */
    @Test
    void aRacyStockIsOversold() throws Exception {
        server = SeedServer.start(SeedServer.atomic());
        server.take = SeedServer.racyTake(20);
        Result r = probe("--url", server.url(), "--request", "POST /take/1", "--body", "{\"quantity\": 1}",
                "--read", "GET /stock/1", "--value", "data.items[0].qty", "--expect", "floor", "--floor", "0",
                "--delta", "-1", "--setup", "POST /reset", "--requests", "20", "--concurrency", "20");
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.FAIL);
        assertThat(r.out()).contains("FAIL: oversold by 15: 20 acknowledged requests took 20, but data.items[0].qty had 5"
                + " above the floor of 0; 19 of the 20 that 20 acknowledged requests took from data.items[0].qty was never"
                + " taken: lost updates.");
        assertThat(r.out().split("\n")[0]).contains("floor", "oversold");
        assertThat(r.row()).contains(" 15 ").endsWith("FAIL");
    }

    @Test
    void anAtomicStockSellsWhatItHasAndRefusesTheRest() throws Exception {
        server = SeedServer.start(SeedServer.atomic());
        Result r = probe("--url", server.url(), "--request", "POST /take/1", "--body", "{\"quantity\": 1}",
                "--read", "GET /stock/1", "--value", "data.items[0].qty", "--expect", "floor", "--floor", "0",
                "--delta", "-1", "--setup", "POST /reset", "--requests", "20", "--concurrency", "20");
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.PASS);
        assertThat(r.out()).contains("PASS: data.items[0].qty ended at 0, not below the floor of 0, and 5 acknowledged"
                + " requests took 5 of the 5 there was; 15 requests were rejected with 409 and the client was told");
    }

    // ---- once

    /** Seed 003's like: a duplicate gets 200 {"success": false}; the count holds each user once. */
    @Test
    void aUniqueLikePassesWithOrWithoutOkWhen() throws Exception {
        server = SeedServer.start(SeedServer.atomic());
        for (boolean okWhen : new boolean[] {true, false}) {
            List<String> args = new ArrayList<>(List.of("--url", server.url(), "--request", "POST /like/1",
                    "--body", "{\"userId\": {{rand:1-4}}}", "--read", "GET /posts/1", "--value", "like_count",
                    "--expect", "once", "--key-from", "body.userId", "--delta", "1", "--setup", "POST /reset",
                    "--requests", "40", "--concurrency", "10"));
            if (okWhen) args.addAll(List.of("--ok-when", "body.success == true"));
            Result r = probe(args.toArray(String[]::new));
            assertThat(r.code()).as(r.out() + r.err()).isEqualTo(ExitCode.PASS);
            int users = server.likedBy.size();
            assertThat(r.out()).contains("PASS: each of the " + users + " distinct acknowledged key" + (users == 1 ? "" : "s")
                    + " is in like_count once (" + users + " key");
            if (okWhen) {
                assertThat(r.out()).contains((40 - users) + " answers with an --ok status did not pass --ok-when body.success == true");
            }
        }
    }

    /** All 10 check before any records its like, so every one counts: like_count is 10 for at most 2 users. */
    @Test
    void aCheckThenInsertLikeCountsAUserMoreThanOnce() throws Exception {
        server = SeedServer.start(SeedServer.atomic());
        server.like = SeedServer.racyLike(10);
        Result r = probe("--url", server.url(), "--request", "POST /like/1", "--body", "{\"userId\": {{rand:1-2}}}",
                "--read", "GET /posts/1", "--value", "like_count", "--expect", "once", "--key-from", "body.userId",
                "--delta", "1", "--ok-when", "body.success == true", "--setup", "POST /reset", "--requests", "10",
                "--concurrency", "10");
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.FAIL);
        int users = server.likedBy.size();
        assertThat(server.likes.get()).isEqualTo(10);
        assertThat(r.out()).contains("FAIL: like_count grew by 10, " + (10 - users) + " more than " + users
                + " distinct acknowledged key" + (users == 1 ? "" : "s") + " could add: an effect applied more than once for one body.userId.");
        assertThat(r.out().split("\n")[0]).contains("keys", "duplicated");
    }

    // ---- bad input: one line, exit 2, before the first request under test

    @Test
    void anUnreachableUrlIsOneLineAndExitTwo() {
        probe("--url", "http://127.0.0.1:1", "--request", "POST /deposit-atomic/1", "--read", "GET /balance/1",
                "--delta", "10").isOneLineUsageError("cannot reach http://127.0.0.1:1: Connection refused (GET /balance/1)");
    }

    @Test
    void aValuePathThatMatchesNothingStopsBeforeTheLoad() throws Exception {
        server = SeedServer.start(SeedServer.atomic());
        probe(deposit("/deposit-atomic/1", 5, "--value", "data.items[0].qty"))
                .isOneLineUsageError("--value data.items[0].qty matches nothing in GET /balance/1's answer (the answer has no data)");
        probe(deposit("/deposit-atomic/1", 5, "--read", "GET /stock/1", "--value", "data.items[1].qty"))
                .isOneLineUsageError("(data.items has no [1])");
        assertThat(server.arrivals.get()).isZero();
    }

    @Test
    void aReadThatIsNotANumberStopsBeforeTheLoad() throws Exception {
        server = SeedServer.start(SeedServer.atomic());
        server.balanceFormat = BalanceFormat.NOT_A_NUMBER;
        probe(deposit("/deposit-atomic/1", 5)).isOneLineUsageError("--value balance in GET /balance/1's answer is \"n/a\","
                + " not a number or a string holding one");
        server.balanceFormat = BalanceFormat.NUMBER;
        probe(deposit("/deposit-atomic/1", 5, "--value", null)).isOneLineUsageError("which is not a number; give --value PATH");
        probe(deposit("/deposit-atomic/1", 5, "--read", "GET /nowhere")).isOneLineUsageError("--read GET /nowhere answered HTTP 404");
        probe(deposit("/deposit-atomic/1", 5, "--setup", "POST /nowhere")).isOneLineUsageError("--setup POST /nowhere answered HTTP 404");
        assertThat(server.arrivals.get()).isZero();
    }

    @Test
    void badFlagsAreOneLineAndExitTwo() throws Exception {
        server = SeedServer.start(SeedServer.atomic());
        probe(deposit("/deposit-atomic/1", 5, "--body", "{\"amount\": {{n}}}")).isOneLineUsageError("unknown placeholder {{n}}");
        probe(deposit("/deposit-atomic/1", 5, "--body", "amount=10")).isOneLineUsageError("--body is not JSON");
        probe(deposit("/deposit-atomic/1", 5, "--header", "Idem: {{rand:9-1}}")).isOneLineUsageError("the wrong way round");
        probe(deposit("/deposit-atomic/1", 5, "--expect", "total")).isOneLineUsageError("--expect must be one of sum, floor, once");
        probe(deposit("/deposit-atomic/1", 5, "--delta-from", "body.amount")).isOneLineUsageError("not both");
        probe(deposit("/deposit-atomic/1", 5, "--delta", "0")).isOneLineUsageError("--delta must not be 0");
        probe("--url", server.url(), "--request", "POST /deposit-atomic/1", "--body", "{\"amount\": 10}", "--read",
                "GET /balance/1", "--delta-from", "body.sum").isOneLineUsageError(
                "--delta-from body.sum matches nothing in request 1's body (the body has no sum)");
        probe(deposit("/deposit-atomic/1", 5, "--delta-from", "amount")).isOneLineUsageError("must start with body.");
        probe(deposit("/deposit-atomic/1", 5, "--expect", "once")).isOneLineUsageError("--expect once needs --key-from body.PATH");
        probe(deposit("/deposit-atomic/1", 5, "--expect", "floor", "--floor", "0")).isOneLineUsageError("--delta must be negative");
        probe(deposit("/deposit-atomic/1", 5, "--ok-when", "success")).isOneLineUsageError("--ok-when must look like");
        probe(deposit("/deposit-atomic/1", 5, "--ok", "2xx", "--rejected", "200")).isOneLineUsageError("status 200 is in both");
        probe(deposit("/deposit-atomic/1", 5, "--ok", "two")).isOneLineUsageError("--ok: 'two' is not a status");
        probe(deposit("/deposit-atomic/1", 5, "--value", "a..b")).isOneLineUsageError("is not a JSON path");
        probe(deposit("/deposit-atomic/1", 5, "--request", "POST deposit")).isOneLineUsageError("the path must start with /");
        probe(deposit("/deposit-atomic/1", 5, "--url", "localhost:3000")).isOneLineUsageError("--url must start with http://");
        probe(deposit("/deposit-atomic/1", 5, "--requests", "0")).isOneLineUsageError("--requests must be between 1");
        probe(deposit("/deposit-atomic/1", 5, "--header", "Host: x")).isOneLineUsageError("--header Host");
        assertThat(server.arrivals.get()).isZero();
    }

    @Test
    void helpShowsTheFlagsAndAnExample() {
        Result r = probe("--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("--url", "--request", "--body", "--header", "--read", "--value", "--expect", "--delta",
                "--delta-from", "--floor", "--key-from", "--ok-when", "--ok", "--rejected", "--setup", "--requests",
                "--concurrency", "--timeout-ms", "--json", "{{i}}", "{{uuid}}", "{{rand:1-100}}",
                "racelab probe http --url http://127.0.0.1:3000", "--request 'POST /deposit-broken/1'");
    }
}
