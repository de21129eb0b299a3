package dev.racelab.internal.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.racelab.core.UsageException;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadSpecTest {
    private static LoadSpec spec(String url, String endpoint, Integer account, int requests, int concurrency, String amount,
                                 String... headers) {
        return LoadSpec.fromFlags(url, endpoint, account, requests, concurrency, new BigDecimal(amount), true, null,
                30_000, List.of(headers));
    }

    private static LoadSpec spec(String endpoint) {
        return spec("http://127.0.0.1:3000", endpoint, null, 100, 100, "10");
    }

    private static void refused(Runnable build, String mentioning) {
        assertThatThrownBy(build::run).isInstanceOf(UsageException.class).hasMessageContaining(mentioning);
    }

    @Test
    void theAccountComesFromTheEndpoint() {
        for (String name : new String[] {"broken", "atomic", "optimistic", "distributed"}) {
            assertThat(spec("/deposit-" + name + "/7").account()).isEqualTo(7);
        }
        assertThat(spec("/accounts/12/deposits?strategy=pessimistic").account()).isEqualTo(12);
        assertThat(spec("http://h:1", "/api/credit", 3, 1, 1, "1").account()).isEqualTo(3);
        refused(() -> spec("/api/credit"), "cannot tell the account from --endpoint /api/credit");
        refused(() -> spec("http://h:1", "/deposit-atomic/1", 2, 1, 1, "1"), "--account 2 is not the account in --endpoint");
        refused(() -> spec("/deposit-atomic/0"), "cannot tell the account");
        refused(() -> spec("/deposit-atomic/99999999999"), "cannot tell the account");
    }

    @Test
    void badUrlsAreRefused() {
        refused(() -> spec("ftp://127.0.0.1:3000", "/deposit-atomic/1", null, 1, 1, "10"), "--url must start with http:// or https://");
        refused(() -> spec("localhost:3000", "/deposit-atomic/1", null, 1, 1, "10"), "--url must start with http://");
        refused(() -> spec("http://", "/deposit-atomic/1", null, 1, 1, "10"), "--url is not a URL");
        refused(() -> spec("http://exa mple.com", "/deposit-atomic/1", null, 1, 1, "10"), "--url is not a URL");
        refused(() -> spec("http://h:1/?x=1", "/deposit-atomic/1", null, 1, 1, "10"), "--url must be scheme://host");
        refused(() -> spec("deposit-atomic/1"), "--endpoint must start with /");
        refused(() -> spec("/deposit atomic/1"), "--endpoint is not a valid path");
    }

    @Test
    void aPathPrefixInTheUrlIsKept() {
        LoadSpec s = spec("http://127.0.0.1:3000/bank/", "/deposit-atomic/1", null, 1, 1, "10");
        assertThat(s.uri("/balance/1")).hasToString("http://127.0.0.1:3000/bank/balance/1");
    }

    @Test
    void countsMustBePositiveButConcurrencyMayExceedRequests() {
        refused(() -> spec("http://h:1", "/deposit-atomic/1", null, 0, 1, "10"), "--requests must be at least 1");
        refused(() -> spec("http://h:1", "/deposit-atomic/1", null, 1, 0, "10"), "--concurrency must be at least 1");
        refused(() -> LoadSpec.fromFlags("http://h:1", "/deposit-atomic/1", null, 1, 1, BigDecimal.TEN, true, null, 0,
                List.of()), "--timeout-ms must be at least 1");
        assertThat(spec("http://h:1", "/deposit-atomic/1", null, 10, 500, "10").inFlight()).isEqualTo(10);
    }

    @Test
    void theAmountIsPositiveWithAtMostTwoDecimals() {
        refused(() -> spec("http://h:1", "/deposit-atomic/1", null, 1, 1, "0"), "--amount: amount must be positive");
        refused(() -> spec("http://h:1", "/deposit-atomic/1", null, 1, 1, "-5"), "--amount: amount must be positive");
        refused(() -> spec("http://h:1", "/deposit-atomic/1", null, 1, 1, "10.001"), "more than 2 decimals");
        refused(() -> spec("http://h:1", "/deposit-atomic/1", null, 2_000_000_000, 1, "10000000000"), "too large");
        assertThat(spec("http://h:1", "/deposit-atomic/1", null, 1, 1, "10.5").amountMinor()).isEqualTo(1050);
        assertThat(spec("http://h:1", "/deposit-atomic/1", null, 1, 1, "10.50").amount()).isEqualTo("10.50");
    }

    @Test
    void headersAreCheckedBeforeTheRun() {
        refused(() -> spec("http://h:1", "/deposit-atomic/1", null, 1, 1, "10", "NoColonHere"), "--header must look like 'Name: value'");
        refused(() -> spec("http://h:1", "/deposit-atomic/1", null, 1, 1, "10", "Bad Name: x"), "not a header name");
        refused(() -> spec("http://h:1", "/deposit-atomic/1", null, 1, 1, "10", "Host: elsewhere"), "--header Host");
        LoadSpec s = spec("http://h:1", "/deposit-atomic/1", null, 1, 1, "10", "Authorization: Bearer a:b", "Idempotency-Key: k-{i}");
        assertThat(s.headers()).containsExactly(new RequestHeader("Authorization", "Bearer a:b"),
                new RequestHeader("Idempotency-Key", "k-{i}"));
        assertThat(s.headers().get(1).valueFor(42)).isEqualTo("k-42");
        assertThat(s.sharesOneIdempotencyKey()).isFalse();
        assertThat(spec("http://h:1", "/deposit-atomic/1", null, 1, 1, "10", "idempotency-key: fixed").sharesOneIdempotencyKey()).isTrue();
    }

    /** The server's balance is outside input too: one with a huge exponent is a bad answer within a second, quoted short. */
    @Test
    void aHugeBalanceInTheServersAnswerIsABadAnswerWithinASecond() {
        for (String n : List.of("1e300000000", "-1e300000000", "1e-3000000", "1E+2147483647", "9".repeat(900), "\"1e-3000\"")) {
            Throwable bad = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(1),
                    () -> org.junit.jupiter.api.Assertions.assertThrows(SeedApi.BadAnswer.class,
                            () -> SeedApi.balanceIn(new SeedApi.Answer(200, "{\"balance\": " + n + "}"), "/balance/1")));
            assertThat(bad.getMessage()).hasSizeLessThan(400);
        }
    }
}
