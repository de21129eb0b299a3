package dev.racelab.internal.probe.http;

import java.math.BigDecimal;

/**
 * The check, in exact decimals. {@code acknowledged} is the effect the acknowledged requests
 * asked for (for {@link Expect#ONCE}: one delta per distinct acknowledged key). The requests
 * that got no answer or a 5xx may or may not have landed: their positive deltas
 * ({@code up}) widen the upper bound, their negative ones ({@code down}) the lower one.
 * A refusal the client was told about may not land at all.
 *
 * @param keys distinct keys acknowledged, -1 unless the invariant is once
 */
public record ProbeCheck(Expect expect, BigDecimal start, BigDecimal end, BigDecimal acknowledged, BigDecimal down,
                         BigDecimal up, BigDecimal floor, long acknowledgedRequests, long keys, long uncertainKeys) {
    static ProbeCheck of(ProbeSpec spec, Tally tally, BigDecimal start, BigDecimal end) {
        if (spec.expect() != Expect.ONCE) {
            return new ProbeCheck(spec.expect(), start, end, tally.acknowledgedDelta(), tally.uncertainDown(),
                    tally.uncertainUp(), spec.floor(), tally.acknowledged(), -1, 0);
        }
        BigDecimal acknowledged = BigDecimal.ZERO;
        BigDecimal down = BigDecimal.ZERO;
        BigDecimal up = BigDecimal.ZERO;
        long keys = 0;
        long uncertain = 0;
        for (Tally.KeyState s : tally.keys().values()) {
            if (s.acknowledged()) {
                acknowledged = acknowledged.add(s.delta());
                keys++;
            } else if (s.uncertain()) { // no request for this key was acknowledged, but one may have landed
                uncertain++;
                if (s.delta().signum() > 0) up = up.add(s.delta());
                else down = down.add(s.delta());
            }
        }
        return new ProbeCheck(spec.expect(), start, end, acknowledged, down, up, null, tally.acknowledged(), keys, uncertain);
    }

    /** How much the value changed. */
    public BigDecimal change() {
        return end.subtract(start);
    }

    /** True when the acknowledged requests add; false when they take. */
    public boolean adds() {
        return acknowledged.signum() > 0 || (acknowledged.signum() == 0 && down.signum() == 0);
    }

    public BigDecimal expected() {
        return start.add(acknowledged);
    }

    public BigDecimal expectedMin() {
        return expected().add(down);
    }

    public BigDecimal expectedMax() {
        return expected().add(up);
    }

    /** Acknowledged effects the value does not show: lost updates. */
    public BigDecimal lost() {
        return positive(adds() ? expectedMin().subtract(end) : end.subtract(expectedMax()));
    }

    /** Change that no request explains (for once: an effect applied more than once). */
    public BigDecimal phantom() {
        return positive(adds() ? end.subtract(expectedMax()) : expectedMin().subtract(end));
    }

    /** Floor: how far the takes went beyond what there was: below the floor, or acknowledged beyond start - floor. */
    public BigDecimal oversold() {
        if (expect != Expect.FLOOR) return BigDecimal.ZERO;
        BigDecimal below = floor.subtract(end);
        BigDecimal overTaken = acknowledged.negate().subtract(available());
        return positive(below.max(overTaken));
    }

    /** Floor: what there was to take. */
    public BigDecimal available() {
        return start.subtract(floor);
    }

    public boolean pass() {
        return lost().signum() == 0 && phantom().signum() == 0 && oversold().signum() == 0;
    }

    private static BigDecimal positive(BigDecimal v) {
        return v.signum() > 0 ? v : BigDecimal.ZERO.setScale(Math.max(0, v.scale())); // 0.00 when the server writes cents
    }
}
