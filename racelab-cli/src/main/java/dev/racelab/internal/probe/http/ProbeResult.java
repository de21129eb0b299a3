package dev.racelab.internal.probe.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.racelab.internal.report.RunResult;
import dev.racelab.internal.vocab.PassFail;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Everything a probe proved and measured; the field names are the JSON keys, and mean what
 * {@code racelab load}'s do. Values are exact decimals, as the server wrote them. {@code ok}
 * are acknowledged answers (an --ok status, and --ok-when held), {@code rejected} refusals
 * the client was told about (a --rejected status, or an --ok one that failed --ok-when),
 * {@code failed} every other answer, {@code unknown} requests with no answer. {@code expected}
 * is the start plus the acknowledged deltas; {@code expectedMin}/{@code expectedMax} widen it
 * by the requests with no answer or a 5xx. {@code keys} (once) counts the distinct keys
 * acknowledged; {@code oversold} (floor) how far the takes went beyond what there was.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"url", "request", "body", "read", "value", "expect", "delta", "deltaFrom", "floor", "keyFrom", "okWhen",
        "okStatuses", "rejectedStatuses", "requests", "concurrency", "ok", "rejected", "failed", "unknown", "statuses", "keys",
        "start", "final", "expected", "expectedMin", "expectedMax", "lostUpdates", "phantom", "oversold", "durationMs",
        "requestsPerSec", "latencyMs", "firstError", "verdict", "explanation"})
public record ProbeResult(String url, String request, String body, String read, String value, String expect, BigDecimal delta,
                          String deltaFrom, BigDecimal floor, String keyFrom, String okWhen, String okStatuses,
                          String rejectedStatuses, int requests, int concurrency, long ok, long rejected, long failed,
                          long unknown, Map<String, Long> statuses, Long keys, BigDecimal start,
                          @JsonProperty("final") BigDecimal finalValue, BigDecimal expected, BigDecimal expectedMin,
                          BigDecimal expectedMax, BigDecimal lostUpdates, BigDecimal phantom, BigDecimal oversold,
                          long durationMs, double requestsPerSec, RunResult.LatencyMs latencyMs, String firstError,
                          PassFail verdict, String explanation) {

    public ProbeResult {
        statuses = Collections.unmodifiableMap(new LinkedHashMap<>(statuses));
        java.util.Objects.requireNonNull(verdict, "verdict");
    }

    static ProbeResult of(ProbeSpec spec, Tally tally, ProbeCheck check, long elapsedNanos) {
        Map<String, Long> statuses = new LinkedHashMap<>();
        tally.statuses().forEach((status, n) -> statuses.put(Integer.toString(status), n));
        Histogram h = tally.latencyMicros();
        return new ProbeResult(spec.baseUrl().toString(), spec.request().toString(),
                spec.body() == null ? null : spec.body().source(), spec.read().toString(),
                spec.value() == null ? null : spec.value().toString(), spec.expect().toString(), spec.delta(),
                spec.deltaFrom() == null ? null : spec.deltaFrom().toString(), spec.floor(),
                spec.keyFrom() == null ? null : spec.keyFrom().toString(), spec.okWhen() == null ? null : spec.okWhen().toString(),
                spec.statuses().okText(), spec.statuses().rejectedText(), spec.requests(), spec.inFlight(),
                tally.acknowledged(), tally.rejected(), tally.failed(), tally.unknown(), statuses,
                spec.expect() == Expect.ONCE ? check.keys() : null, check.start(), check.end(), check.expected(),
                check.expectedMin(), check.expectedMax(), check.lost(), check.phantom(),
                spec.expect() == Expect.FLOOR ? check.oversold() : null, elapsedNanos / 1_000_000,
                Rates.perSecond(tally.completed(), elapsedNanos), Rates.latencyMs(h),
                tally.firstError(), PassFail.of(check.pass()), ProbeExplainer.sentence(spec, tally, check));
    }

    public boolean passed() {
        return verdict.passed();
    }
}
