package dev.racelab.load;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * What one worker's requests got back. Each worker keeps its own, merged when the load ends,
 * so the workers share nothing while they run.
 */
final class Tally {
    private static final int CONFLICT = 409;

    private final Map<Integer, Long> statuses = new TreeMap<>();
    private final Histogram latencyMicros = new Histogram(3);
    private long unknown;
    private String firstError;
    private long firstErrorAt = Long.MAX_VALUE;

    void answered(SeedApi.Answer answer, long latencyNanos, long at) {
        statuses.merge(answer.status(), 1L, Long::sum);
        record(latencyNanos);
        if (!answer.ok() && answer.status() != CONFLICT) error(answer.describe(), at); // a 409 is a rejection, not an error
    }

    /** No answer: a timeout or a broken connection. The deposit may or may not have landed. */
    void noAnswer(IOException e, long latencyNanos, long at) {
        unknown++;
        record(latencyNanos);
        error("no answer: " + LoadTester.reason(e), at);
    }

    void add(Tally other) {
        other.statuses.forEach((status, n) -> statuses.merge(status, n, Long::sum));
        latencyMicros.add(other.latencyMicros);
        unknown += other.unknown;
        if (other.firstErrorAt < firstErrorAt) {
            firstError = other.firstError;
            firstErrorAt = other.firstErrorAt;
        }
    }

    private void record(long latencyNanos) {
        latencyMicros.recordValue(Math.max(1, latencyNanos / 1_000));
    }

    private void error(String text, long at) {
        if (at < firstErrorAt) {
            firstError = text;
            firstErrorAt = at;
        }
    }

    /** 2xx: the server said the deposit was made. */
    long acknowledged() {
        return count(s -> s / 100 == 2);
    }

    /** 409: refused because of a conflict, and the client was told. */
    long rejected() {
        return count(s -> s == CONFLICT);
    }

    /** Any other 4xx: refused, and the client was told. */
    long clientErrors() {
        return count(s -> s / 100 == 4 && s != CONFLICT);
    }

    /** 5xx: an error, but HTTP does not promise that nothing changed. */
    long serverErrors() {
        return count(s -> s / 100 == 5);
    }

    /** Every answer that is neither 2xx nor 409 (including 1xx and 3xx, which a deposit never expects). */
    long failed() {
        return count(s -> s / 100 != 2 && s != CONFLICT);
    }

    long unknown() {
        return unknown;
    }

    long completed() {
        return statuses.values().stream().mapToLong(Long::longValue).sum() + unknown;
    }

    Map<Integer, Long> statuses() {
        return new TreeMap<>(statuses);
    }

    Histogram latencyMicros() {
        return latencyMicros;
    }

    /** The earliest error (a 409 is not one), or "" when there was none. */
    String firstError() {
        return firstError == null ? "" : firstError;
    }

    private long count(java.util.function.IntPredicate status) {
        return statuses.entrySet().stream().filter(e -> status.test(e.getKey())).mapToLong(Map.Entry::getValue).sum();
    }
}
