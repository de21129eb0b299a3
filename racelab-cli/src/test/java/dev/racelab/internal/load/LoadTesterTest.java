package dev.racelab.internal.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.racelab.core.Clock;
import dev.racelab.core.UsageException;
import dev.racelab.core.RunAbortedException;
import dev.racelab.internal.vocab.PassFail;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** LoadTester against a real HTTP server speaking seed 003's routes, with exact counts. */
class LoadTesterTest {
    private SeedServer server;
    private final StringWriter progress = new StringWriter();

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    private LoadResult load(String endpoint, int requests, int concurrency, String... headers) {
        return load(LoadSpec.fromFlags(server.url(), endpoint, null, requests, concurrency, new BigDecimal("10"), true,
                null, 30_000, List.of(headers)));
    }

    private LoadResult load(LoadSpec spec) {
        return load(spec, Duration.ofSeconds(2));
    }

    private LoadResult load(LoadSpec spec, Duration progressEvery) {
        try (HttpClient client = LoadTester.httpClient(spec)) {
            return new LoadTester(client, Clock.SYSTEM, new PrintWriter(progress, true), progressEvery).run(spec);
        }
    }

    private static BigDecimal money(String text) {
        return new BigDecimal(text);
    }

    /**
     * The barrier holds every request between its read and its write until all 20 have read
     * 1000.00, so each writes 1010.00: 19 of the 20 acknowledged deposits are lost, for certain.
     */
    @Test
    void aRacyServerLosesEveryDepositButOneAndFails() throws Exception {
        server = SeedServer.start(SeedServer.racy(20));
        server.balance.set(50_000); // the reset must bring it back to 1000.00
        LoadResult r = load("/deposit-broken/1", 20, 20);
        assertThat(r.ok()).isEqualTo(20);
        assertThat(r.start()).isEqualTo(money("1000.00"));
        assertThat(r.finalBalance()).isEqualTo(money("1010.00"));
        assertThat(r.expected()).isEqualTo(money("1200.00"));
        assertThat(r.lostUpdates()).isEqualTo(money("190.00"));
        assertThat(r.phantom()).isEqualTo(money("0.00"));
        assertThat(r.verdict()).isEqualTo(PassFail.FAIL);
        assertThat(r.explanation()).isEqualTo("FAIL: 190.00 of the 200.00 that 20 acknowledged deposits added is missing: lost updates.");
        assertThat(LoadTable.render(r)).contains("/deposit-broken/1").contains("190.00").contains("FAIL");
    }

    /** Seed 003's own Express app answers {"balance": "1000.00"}: mysql2 returns DECIMAL as a string. */
    @Test
    void aBalanceAnsweredAsADecimalStringIsReadExactly() throws Exception {
        server = SeedServer.start(SeedServer.racy(10));
        server.balanceFormat = SeedServer.BalanceFormat.DECIMAL_STRING;
        LoadResult r = load("/deposit-broken/1", 10, 10);
        assertThat(r.start()).isEqualTo(money("1000.00"));
        assertThat(r.finalBalance()).isEqualTo(money("1010.00"));
        assertThat(r.lostUpdates()).isEqualTo(money("90.00"));
        assertThat(r.verdict()).isEqualTo(PassFail.FAIL);
    }

    @Test
    void anAtomicServerLosesNothingAndPasses() throws Exception {
        server = SeedServer.start(SeedServer.atomicOverlapping());
        LoadResult r = load("/deposit-atomic/1", 200, 50);
        assertThat(r.ok()).isEqualTo(200);
        assertThat(r.rejected() + r.failed() + r.unknown()).isZero();
        assertThat(r.finalBalance()).isEqualTo(money("3000.00"));
        assertThat(r.lostUpdates()).isEqualTo(money("0.00"));
        assertThat(r.verdict()).isEqualTo(PassFail.PASS);
        assertThat(r.explanation()).isEqualTo("PASS: every acknowledged deposit is in the balance.");
        assertThat(server.maxInFlight.get()).as("never more in flight than --concurrency").isBetween(2, 50);
        assertThat(r.statuses()).isEqualTo(Map.of("200", 200L));
        assertThat(r.latencyMs().max()).isPositive();
    }

    @Test
    void conflictsAreRejectionsTheClientWasToldAboutNotLosses() throws Exception {
        server = SeedServer.start(SeedServer.refusing(n -> n % 4 == 0, SeedServer.Reply.error(409, "Too many conflicts, please retry")));
        LoadResult r = load("/deposit-optimistic/1", 100, 10);
        assertThat(r.ok()).isEqualTo(75);
        assertThat(r.rejected()).isEqualTo(25);
        assertThat(r.failed()).isZero();
        assertThat(r.finalBalance()).isEqualTo(money("1750.00"));
        assertThat(r.lostUpdates()).isEqualTo(money("0.00"));
        assertThat(r.verdict()).isEqualTo(PassFail.PASS);
        assertThat(r.firstError()).as("a 409 is not an error").isEmpty();
        assertThat(r.explanation()).isEqualTo("PASS: every acknowledged deposit is in the balance;"
                + " 25 requests were rejected with 409 and the client was told, which is not a loss.");
    }

    @Test
    void otherRefusalsAreFailuresAndMayNotLand() throws Exception {
        server = SeedServer.start(SeedServer.refusing(n -> n % 5 == 0, SeedServer.Reply.error(422, "no")));
        LoadResult r = load("/deposit-atomic/1", 20, 20);
        assertThat(r.ok()).isEqualTo(16);
        assertThat(r.failed()).isEqualTo(4);
        assertThat(r.verdict()).isEqualTo(PassFail.PASS);
        assertThat(r.explanation()).contains("4 requests failed with another status (422: 4) and the client was told");
        assertThat(r.firstError()).startsWith("HTTP 422");
        assertThat(LoadTable.render(r)).contains("4 (422: 4)");
    }

    /** Money from a request the client was told failed is money no request explains. */
    @Test
    void aRefusedDepositThatLandsAnywayIsPhantomMoneyAndFails() throws Exception {
        server = SeedServer.start((s, n, amount, headers) -> {
            long after = s.balance.addAndGet(amount);
            return n % 4 == 0 ? SeedServer.Reply.error(400, "refused, but applied") : SeedServer.Reply.balance(after);
        });
        LoadResult r = load("/deposit-broken/1", 20, 5);
        assertThat(r.ok()).isEqualTo(15);
        assertThat(r.failed()).isEqualTo(5);
        assertThat(r.finalBalance()).isEqualTo(money("1200.00"));
        assertThat(r.phantom()).isEqualTo(money("50.00"));
        assertThat(r.lostUpdates()).isEqualTo(money("0.00"));
        assertThat(r.verdict()).isEqualTo(PassFail.FAIL);
        assertThat(r.explanation()).startsWith("FAIL: the balance grew by 200.00, 50.00 more than 15 acknowledged deposits could add")
                .endsWith("Did a refused request land anyway?");
        assertThat(LoadTable.render(r)).contains("phantom");
    }

    /** A 5xx promises nothing: the deposit may have landed, so it widens the bound like a timeout. */
    @Test
    void serverErrorsMayHaveLanded() throws Exception {
        server = SeedServer.start((s, n, amount, headers) -> switch (n % 5) {
            case 1 -> { // landed, but the answer says otherwise
                s.balance.addAndGet(amount);
                yield SeedServer.Reply.error(503, "the store did not answer");
            }
            case 2 -> SeedServer.Reply.error(500, "boom"); // did not land
            default -> SeedServer.Reply.balance(s.balance.addAndGet(amount));
        });
        LoadResult r = load("/deposit-atomic/1", 20, 4);
        assertThat(r.ok()).isEqualTo(12);
        assertThat(r.failed()).isEqualTo(8);
        assertThat(r.statuses()).containsEntry("500", 4L).containsEntry("503", 4L);
        assertThat(r.finalBalance()).isEqualTo(money("1160.00"));
        assertThat(r.expected()).isEqualTo(money("1120.00"));
        assertThat(r.expectedMax()).isEqualTo(money("1200.00"));
        assertThat(r.verdict()).isEqualTo(PassFail.PASS);
        assertThat(r.explanation()).contains("8 requests got no answer or a 5xx, so they may or may not have landed:"
                + " the balance shows 4 did");
        assertThat(LoadTable.render(r)).contains("1120.00..1200.00");
    }

    /** Every 5th deposit lands but answers after the client's 300 ms timeout: unknown, not lost, not failed. */
    @Test
    void aDepositWithNoAnswerIsUnknownAndWidensTheBound() throws Exception {
        server = SeedServer.start((s, n, amount, headers) -> {
            long after = s.balance.addAndGet(amount);
            if (n % 5 == 0) Thread.sleep(1_500);
            return SeedServer.Reply.balance(after);
        });
        LoadResult r = load(LoadSpec.fromFlags(server.url(), "/deposit-atomic/1", null, 20, 20, new BigDecimal("10"),
                true, null, 300, List.of()));
        assertThat(r.ok()).isEqualTo(16);
        assertThat(r.unknown()).isEqualTo(4);
        assertThat(r.failed()).isZero();
        assertThat(r.finalBalance()).isEqualTo(money("1200.00"));
        assertThat(r.lostUpdates()).isEqualTo(money("0.00"));
        assertThat(r.phantom()).isEqualTo(money("0.00"));
        assertThat(r.verdict()).isEqualTo(PassFail.PASS);
        assertThat(r.firstError()).startsWith("no answer: ").contains("timed out");
        assertThat(r.explanation()).contains("4 requests got no answer or a 5xx").contains("the balance shows 4 did");
    }

    @Test
    void amountsAreExactToTheCent() throws Exception {
        server = SeedServer.start(SeedServer.atomic());
        LoadResult r = load(LoadSpec.fromFlags(server.url(), "/deposit-atomic/1", null, 30, 30, new BigDecimal("0.10"),
                true, null, 30_000, List.of()));
        assertThat(r.finalBalance()).isEqualTo(money("1003.00")); // thirty 0.1 doubles would not sum to 3.00
        assertThat(r.amount()).isEqualTo(money("0.10"));
        assertThat(r.verdict()).isEqualTo(PassFail.PASS);
    }

    @Test
    void theCleanApiAndTheAccountsFallbackWork() throws Exception {
        server = SeedServer.start(SeedServer.atomic());
        server.hasBalanceRoute = false;
        LoadResult r = load("/accounts/1/deposits?strategy=optimistic", 10, 10);
        assertThat(r.account()).isEqualTo(1);
        assertThat(r.start()).isEqualTo(money("1000.00"));
        assertThat(r.finalBalance()).isEqualTo(money("1100.00"));
        assertThat(r.verdict()).isEqualTo(PassFail.PASS);
        assertThat(server.queries).hasSize(10).containsOnly("strategy=optimistic");
    }

    @Test
    void aServerWithoutResetIsToldApartFromOneThatRefusesIt() throws Exception {
        server = SeedServer.start(SeedServer.atomic());
        server.hasReset = false;
        assertThatThrownBy(() -> load("/deposit-atomic/1", 5, 5)).isInstanceOf(UsageException.class)
                .hasMessageContaining("answered 404: the server has no /reset; start it with --demo, or pass --no-reset");
        assertThat(server.arrivals.get()).as("no deposit is sent").isZero();

        server.balance.set(12_345);
        LoadResult r = load(LoadSpec.fromFlags(server.url(), "/deposit-atomic/1", null, 5, 5, new BigDecimal("10"),
                false, null, 30_000, List.of()));
        assertThat(r.start()).isEqualTo(money("123.45"));
        assertThat(r.finalBalance()).isEqualTo(money("173.45"));
    }

    @Test
    void theAdminTokenGoesWithTheReset() throws Exception {
        server = SeedServer.start(SeedServer.atomic());
        server.adminToken = "s3cret";
        assertThatThrownBy(() -> load("/deposit-atomic/1", 5, 5)).isInstanceOf(UsageException.class)
                .hasMessageContaining("answered HTTP 403").hasMessageContaining("--admin-token");
        LoadResult r = load(LoadSpec.fromFlags(server.url(), "/deposit-atomic/1", null, 5, 5, new BigDecimal("10"),
                true, "s3cret", 30_000, List.of()));
        assertThat(r.verdict()).isEqualTo(PassFail.PASS);
        assertThat(server.resetTokens).containsExactly("s3cret");
    }

    @Test
    void requestsSharingOneIdempotencyKeyAreOneDeposit() throws Exception {
        server = SeedServer.start(SeedServer.idempotent());
        LoadResult r = load("/deposit-atomic/1", 20, 20, "Idempotency-Key: run-1");
        assertThat(r.ok()).isEqualTo(20);
        assertThat(r.finalBalance()).isEqualTo(money("1010.00"));
        assertThat(r.verdict()).isEqualTo(PassFail.PASS);
        assertThat(r.explanation()).contains("all 20 requests carried one Idempotency-Key, so they are one deposit");
    }

    @Test
    void anIndexedIdempotencyKeyMakesEveryRequestItsOwnDeposit() throws Exception {
        server = SeedServer.start(SeedServer.idempotent());
        LoadResult r = load("/deposit-atomic/1", 20, 20, "Idempotency-Key: run-{i}");
        assertThat(r.finalBalance()).isEqualTo(money("1200.00"));
        assertThat(r.verdict()).isEqualTo(PassFail.PASS);
        assertThat(server.idempotencyKeys).hasSize(20).doesNotHaveDuplicates().contains("run-1", "run-20");
    }

    @Test
    void aLoadInWhichNothingWasAcknowledgedOrRejectedCannotBeChecked() throws Exception {
        server = SeedServer.start(SeedServer.atomic());
        LoadSpec wrongRoute = LoadSpec.fromFlags(server.url(), "/deposits/1", 1, 10, 10, new BigDecimal("10"), true,
                null, 30_000, List.of());
        assertThatThrownBy(() -> load(wrongRoute)).isInstanceOf(RunAbortedException.class)
                .hasMessageContaining("no deposit was acknowledged or rejected with 409")
                .hasMessageContaining("10 failed (404: 10)").hasMessageContaining("Is --endpoint right?");
    }

    @Test
    void aBalanceThatCannotBeReadAfterTheLoadAbortsTheRun() throws Exception {
        server = SeedServer.start((s, n, amount, headers) -> {
            s.balanceBroken = true;
            return SeedServer.Reply.balance(s.balance.addAndGet(amount));
        });
        assertThatThrownBy(() -> load("/deposit-atomic/1", 5, 5)).isInstanceOf(RunAbortedException.class)
                .hasMessageContaining("cannot read the final balance").hasMessageContaining("HTTP 500");
    }

    @Test
    void aMissingAccountIsAUsageError() throws Exception {
        server = SeedServer.start(SeedServer.atomic());
        LoadSpec spec = LoadSpec.fromFlags(server.url(), "/deposit-atomic/2", null, 5, 5, new BigDecimal("10"), true,
                null, 30_000, List.of());
        assertThatThrownBy(() -> load(spec)).isInstanceOf(UsageException.class)
                .hasMessageContaining("no account 2: GET /balance/2 and GET /accounts/2 answered 404");
    }

    @Test
    void anUnreachableServerIsAUsageError() {
        LoadSpec spec = LoadSpec.fromFlags("http://127.0.0.1:1", "/deposit-atomic/1", null, 5, 5, new BigDecimal("10"),
                true, null, 5_000, List.of());
        assertThatThrownBy(() -> load(spec)).isInstanceOf(UsageException.class)
                .hasMessage("cannot reach http://127.0.0.1:1: Connection refused (is racelab serve running?)");
    }

    @Test
    void progressIsReportedWhileTheLoadRuns() throws Exception {
        server = SeedServer.start((s, n, amount, headers) -> {
            Thread.sleep(30);
            return SeedServer.Reply.balance(s.balance.addAndGet(amount));
        });
        LoadResult r = load(LoadSpec.fromFlags(server.url(), "/deposit-atomic/1", null, 20, 2, new BigDecimal("10"),
                true, null, 30_000, List.of()), Duration.ofMillis(50));
        assertThat(r.verdict()).isEqualTo(PassFail.PASS);
        assertThat(progress.toString()).contains("racelab: load: 20 x POST " + server.url() + "/deposit-atomic/1")
                .containsPattern("  load: \\d+ / 20 requests \\(\\d+%\\), [0-9,]+ req/s");
    }
}
