package dev.racelab.internal.probe.sql;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.racelab.internal.report.RunResult;
import dev.racelab.internal.vocab.PassFail;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A probe sql load: what ran, how every transaction ended, what it cost, and the check's
 * verdict on the data left behind. The keys that mean what they mean in racelab run's JSON carry
 * the same names there ({@code instances}, {@code threads}, {@code iterations}, {@code planned},
 * {@code invoked}, {@code ok}, {@code failed}, {@code unknown}, {@code retries}, {@code errors},
 * {@code firstError}, {@code durationMs}, {@code opsPerSec}, {@code latencyMs}, {@code verdict},
 * {@code explanation}); {@code ok} is the transactions that committed. {@code failed} counts the
 * final aborts by kind, {@code abortedBySqlState} by SQLSTATE, {@code retriedBySqlState} the
 * aborts that were retried. Latency is per transaction, its retries included.
 */
@JsonPropertyOrder({"mode", "spec", "store", "server", "workspace", "workload", "levels", "retryOn", "instances", "threads",
        "iterations", "planned", "invoked", "ok", "rolledBack", "aborted", "failed", "abortedBySqlState", "unknown", "retries",
        "retriedBySqlState", "retriesExhausted", "errors", "firstError", "durationMs", "opsPerSec", "latencyMs", "sessions", "check",
        "checkValues", "verdict", "explanation"})
public record LoadResult(String mode, String spec, String store, String server, String workspace, String workload, List<String> levels,
                         List<String> retryOn, int instances, int threads, long iterations, long planned, long invoked, long ok,
                         long rolledBack, long aborted, Map<String, Long> failed, Map<String, Long> abortedBySqlState, long unknown,
                         long retries, Map<String, Long> retriedBySqlState, long retriesExhausted, long errors, String firstError,
                         long durationMs, double opsPerSec, RunResult.LatencyMs latencyMs,
                         Map<String, WorkerTally.SessionCounts> sessions, String check, Map<String, Object> checkValues,
                         PassFail verdict, String explanation) {
    public static final String WORKLOAD = "round robin: every thread runs the sessions' transactions in turn, each thread starting"
            + " at a different session";

    public LoadResult {
        levels = List.copyOf(levels);
        retryOn = List.copyOf(retryOn);
        failed = Collections.unmodifiableMap(new LinkedHashMap<>(failed));
        abortedBySqlState = Collections.unmodifiableMap(new LinkedHashMap<>(abortedBySqlState));
        retriedBySqlState = Collections.unmodifiableMap(new LinkedHashMap<>(retriedBySqlState));
        sessions = Collections.unmodifiableMap(new LinkedHashMap<>(sessions));
        checkValues = Collections.unmodifiableMap(new LinkedHashMap<>(checkValues));
        java.util.Objects.requireNonNull(verdict, "verdict");
    }

    public boolean passed() {
        return verdict.passed();
    }
}
