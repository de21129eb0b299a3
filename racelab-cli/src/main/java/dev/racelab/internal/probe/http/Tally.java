package dev.racelab.internal.probe.http;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntPredicate;
import org.HdrHistogram.Histogram;

/**
 * What one worker's requests got back, and what they asked for: the deltas of the
 * acknowledged requests, of the uncertain ones (no answer or a 5xx: they may or may not have
 * landed), and per key whether any of its requests was acknowledged. Each worker keeps its
 * own, merged when the load ends, so the workers share nothing while they run.
 */
public final class Tally {
    /** Per key of --key-from: whether one of its requests was acknowledged, or may have landed, and its delta. */
    public static final class KeyState {
        boolean acknowledged;
        boolean uncertain;
        BigDecimal delta;

        public boolean acknowledged() {
            return acknowledged;
        }

        public boolean uncertain() {
            return uncertain;
        }

        public BigDecimal delta() {
            return delta;
        }
    }

    private final StatusClasses classes;
    private final OkWhen okWhen;
    private final long[] statuses = new long[600];
    private final Map<Integer, Long> oddStatuses = new TreeMap<>();
    private final Histogram latencyMicros = new Histogram(3);
    private final Map<String, KeyState> keys = new HashMap<>();
    private long unknown;
    private long notOkWhen;
    private BigDecimal acknowledgedDelta = BigDecimal.ZERO;
    private BigDecimal uncertainUp = BigDecimal.ZERO;
    private BigDecimal uncertainDown = BigDecimal.ZERO;
    private String firstError;
    private long firstErrorAt = Long.MAX_VALUE;

    public Tally(StatusClasses classes, OkWhen okWhen) {
        this.classes = classes;
        this.okWhen = okWhen;
    }

    /** {@code racelab load}'s counting: 2xx acknowledged, 409 rejected. */
    public Tally() {
        this(StatusClasses.DEFAULT, null);
    }

    /** An answer to a request that asked for {@code delta} (null: not counted) under {@code key} (null: none). */
    public void answered(Answer answer, BigDecimal delta, String key, long latencyNanos, long at) {
        int status = answer.status();
        if (status >= 0 && status < statuses.length) statuses[status]++;
        else oddStatuses.merge(status, 1L, Long::sum);
        record(latencyNanos);
        StatusClasses.Kind kind = classes.kind(status);
        if (kind == StatusClasses.Kind.OK && okWhen != null && !okWhen.test(answer.body())) {
            notOkWhen++;
            kind = StatusClasses.Kind.REJECTED;
        }
        switch (kind) {
            case OK -> {
                if (delta != null) acknowledgedDelta = acknowledgedDelta.add(delta);
                if (key != null) key(key, delta).acknowledged = true;
            }
            case SERVER_ERROR -> {
                uncertain(delta, key);
                error(answer.describe(), at);
            }
            case FAILED -> error(answer.describe(), at);
            case REJECTED -> { } // the client was told: not an error
        }
    }

    /** No answer: a timeout or a broken connection. The request may or may not have landed. */
    public void noAnswer(IOException e, BigDecimal delta, String key, long latencyNanos, long at) {
        unknown++;
        record(latencyNanos);
        uncertain(delta, key);
        error("no answer: " + Reasons.of(e), at);
    }

    private void uncertain(BigDecimal delta, String key) {
        if (delta != null) {
            if (delta.signum() > 0) uncertainUp = uncertainUp.add(delta);
            else uncertainDown = uncertainDown.add(delta);
        }
        if (key != null) key(key, delta).uncertain = true;
    }

    private KeyState key(String key, BigDecimal delta) {
        KeyState s = keys.computeIfAbsent(key, k -> new KeyState());
        if (s.delta == null) s.delta = delta;
        return s;
    }

    public void add(Tally other) {
        for (int s = 0; s < statuses.length; s++) statuses[s] += other.statuses[s];
        other.oddStatuses.forEach((status, n) -> oddStatuses.merge(status, n, Long::sum));
        latencyMicros.add(other.latencyMicros);
        unknown += other.unknown;
        notOkWhen += other.notOkWhen;
        acknowledgedDelta = acknowledgedDelta.add(other.acknowledgedDelta);
        uncertainUp = uncertainUp.add(other.uncertainUp);
        uncertainDown = uncertainDown.add(other.uncertainDown);
        other.keys.forEach((k, s) -> {
            KeyState mine = keys.computeIfAbsent(k, x -> new KeyState());
            mine.acknowledged |= s.acknowledged;
            mine.uncertain |= s.uncertain;
            if (mine.delta == null) mine.delta = s.delta;
        });
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

    /** Acknowledged: an --ok status, and --ok-when holds. */
    public long acknowledged() {
        return count(s -> classes.kind(s) == StatusClasses.Kind.OK) - notOkWhen;
    }

    /** Refused and the client was told: a --rejected status, or an --ok one whose body fails --ok-when. */
    public long rejected() {
        return count(s -> classes.kind(s) == StatusClasses.Kind.REJECTED) + notOkWhen;
    }

    /** Of the rejected, those with an --ok status whose body failed --ok-when. */
    public long notOkWhen() {
        return notOkWhen;
    }

    /** Any other 4xx: refused, and the client was told. */
    public long clientErrors() {
        return count(s -> s / 100 == 4 && classes.kind(s) == StatusClasses.Kind.FAILED);
    }

    /** 5xx (not in --ok or --rejected): an error, but HTTP does not promise that nothing changed. */
    public long serverErrors() {
        return count(s -> classes.kind(s) == StatusClasses.Kind.SERVER_ERROR);
    }

    /** Every answer that is neither acknowledged nor rejected (including 1xx and 3xx, which nothing expects). */
    public long failed() {
        return count(s -> {
            StatusClasses.Kind k = classes.kind(s);
            return k == StatusClasses.Kind.FAILED || k == StatusClasses.Kind.SERVER_ERROR;
        });
    }

    public long unknown() {
        return unknown;
    }

    public long completed() {
        return count(s -> true) + unknown;
    }

    /** Every status seen, with its count. */
    public Map<Integer, Long> statuses() {
        Map<Integer, Long> all = new TreeMap<>(oddStatuses);
        for (int s = 0; s < statuses.length; s++) if (statuses[s] > 0) all.put(s, statuses[s]);
        return all;
    }

    public Histogram latencyMicros() {
        return latencyMicros;
    }

    /** The sum of the deltas the acknowledged requests asked for. */
    public BigDecimal acknowledgedDelta() {
        return acknowledgedDelta;
    }

    /** The sum of the positive deltas of the requests that may or may not have landed. */
    public BigDecimal uncertainUp() {
        return uncertainUp;
    }

    /** The sum of the negative deltas of the requests that may or may not have landed. */
    public BigDecimal uncertainDown() {
        return uncertainDown;
    }

    public Map<String, KeyState> keys() {
        return keys;
    }

    /** The earliest error (a rejection is not one), or "" when there was none. */
    public String firstError() {
        return firstError == null ? "" : firstError;
    }

    public StatusClasses classes() {
        return classes;
    }

    private long count(IntPredicate status) {
        long n = 0;
        for (int s = 0; s < statuses.length; s++) if (statuses[s] > 0 && status.test(s)) n += statuses[s];
        for (Map.Entry<Integer, Long> e : oddStatuses.entrySet()) if (status.test(e.getKey())) n += e.getValue();
        return n;
    }
}
