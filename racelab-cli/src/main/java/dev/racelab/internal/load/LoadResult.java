package dev.racelab.internal.load;

import dev.racelab.internal.probe.http.Tally;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.racelab.core.Money;
import dev.racelab.internal.report.RunResult;
import dev.racelab.internal.vocab.PassFail;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import dev.racelab.internal.probe.http.Rates;
import org.HdrHistogram.Histogram;

/**
 * Everything a load test proved and measured; the field names are the JSON keys. Money is a
 * decimal with two places. {@code ok} are 2xx answers, {@code rejected} 409s, {@code failed}
 * every other answer, and {@code unknown} requests with no answer (timeout, broken
 * connection); {@code statuses} counts every status seen. {@code expected} is the starting
 * balance plus the acknowledged deposits; {@code expectedMax} adds the deposits that got no
 * answer or a 5xx, which may have landed. {@code lostUpdates} is how far the final balance
 * fell short of {@code expected}; {@code phantom} how far it rose above {@code expectedMax}.
 */
@JsonPropertyOrder({"url", "endpoint", "account", "requests", "concurrency", "amount", "ok", "rejected", "failed",
        "unknown", "statuses", "start", "final", "expected", "expectedMax", "lostUpdates", "phantom", "durationMs",
        "requestsPerSec", "latencyMs", "firstError", "verdict", "explanation"})
public record LoadResult(String url, String endpoint, int account, int requests, int concurrency, BigDecimal amount,
                         long ok, long rejected, long failed, long unknown, Map<String, Long> statuses,
                         BigDecimal start, @JsonProperty("final") BigDecimal finalBalance, BigDecimal expected,
                         BigDecimal expectedMax, BigDecimal lostUpdates, BigDecimal phantom, long durationMs,
                         double requestsPerSec, RunResult.LatencyMs latencyMs, String firstError, PassFail verdict,
                         String explanation) {

    public LoadResult {
        statuses = Collections.unmodifiableMap(new LinkedHashMap<>(statuses));
        java.util.Objects.requireNonNull(verdict, "verdict");
    }

    static LoadResult of(LoadSpec spec, Tally tally, DepositCheck check, long elapsedNanos) {
        Map<String, Long> statuses = new LinkedHashMap<>();
        tally.statuses().forEach((status, n) -> statuses.put(Integer.toString(status), n));
        Histogram h = tally.latencyMicros();
        return new LoadResult(spec.uri("").toString(), spec.endpoint(), spec.account(), spec.requests(),
                spec.inFlight(), Money.toDecimal(spec.amountMinor()), tally.acknowledged(), tally.rejected(),
                tally.failed(), tally.unknown(), statuses, Money.toDecimal(check.start()), Money.toDecimal(check.end()),
                Money.toDecimal(check.expected()), Money.toDecimal(check.expectedMax()), Money.toDecimal(check.lost()),
                Money.toDecimal(check.phantom()), elapsedNanos / 1_000_000,
                Rates.perSecond(tally.completed(), elapsedNanos), Rates.latencyMs(h),
                tally.firstError(), PassFail.of(check.pass()), LoadExplainer.sentence(spec, tally, check));
    }

    public boolean passed() {
        return verdict.passed();
    }
}
