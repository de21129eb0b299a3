package dev.racelab.report;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything a run proved and measured. The field names are the JSON keys. {@code expected}
 * is the initial value plus the acknowledged deltas; {@code lostUpdates} is how far the store
 * fell short of that (beyond what unknown operations could explain).
 */
@JsonPropertyOrder({"scenario", "store", "strategy", "instances", "threads", "iterations", "planned", "invoked",
        "expected", "actual", "lostUpdates", "phantomUpdates", "ok", "failed", "unknown", "retries", "errors",
        "firstError", "durationMs", "opsPerSec", "latencyMs", "verdict", "explanation"})
public record RunResult(String scenario, String store, String strategy, int instances, int threads, long iterations,
                        long planned, long invoked, long expected, long actual, long lostUpdates, long phantomUpdates,
                        long ok, Map<String, Long> failed, long unknown, long retries, long errors, String firstError,
                        long durationMs, double opsPerSec, LatencyMs latencyMs, String verdict, String explanation) {
    public static final String PASS = "PASS";
    public static final String FAIL = "FAIL";

    public RunResult {
        failed = Collections.unmodifiableMap(new LinkedHashMap<>(failed));
        if (!PASS.equals(verdict) && !FAIL.equals(verdict)) throw new IllegalArgumentException("verdict is PASS or FAIL");
    }

    /** Latency percentiles in milliseconds, from an HdrHistogram of every operation. */
    public record LatencyMs(double p50, double p95, double p99, double max) {
    }

    public boolean passed() {
        return PASS.equals(verdict);
    }

    public long failedTotal() {
        return failed.values().stream().mapToLong(Long::longValue).sum();
    }
}
