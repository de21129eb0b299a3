package dev.racelab.internal.load;

import dev.racelab.internal.probe.http.Tally;
/**
 * The check, in minor units: the balance must have grown by at least what the acknowledged
 * deposits added (else updates were lost), and by at most that plus what the uncertain
 * requests could have added (else money appeared that no request explains). A request is
 * uncertain when it got no answer or a 5xx: it may or may not have landed. A 409 or another
 * 4xx is a refusal the client was told about, so it may not land at all.
 *
 * @param acknowledged deposits the server acknowledged (requests sharing one Idempotency-Key count once)
 * @param uncertain    deposits that may or may not have landed
 */
record DepositCheck(long start, long end, long amount, long acknowledged, long uncertain) {
    static DepositCheck of(LoadSpec spec, Tally tally, long start, long end) {
        long ok = tally.acknowledged();
        long maybe = tally.unknown() + tally.serverErrors();
        if (spec.sharesOneIdempotencyKey()) { // one key: one deposit, however many requests carried it
            return new DepositCheck(start, end, spec.amountMinor(), Math.min(1, ok), ok == 0 && maybe > 0 ? 1 : 0);
        }
        return new DepositCheck(start, end, spec.amountMinor(), ok, maybe);
    }

    /** How much the balance grew. */
    long change() {
        return Math.subtractExact(end, start);
    }

    /** What the acknowledged deposits added. */
    long acknowledgedAmount() {
        return Math.multiplyExact(acknowledged, amount);
    }

    /** The most that every acknowledged and uncertain deposit could have added. */
    long possibleAmount() {
        return Math.multiplyExact(Math.addExact(acknowledged, uncertain), amount);
    }

    long expected() {
        return Math.addExact(start, acknowledgedAmount());
    }

    long expectedMax() {
        return Math.addExact(start, possibleAmount());
    }

    long lost() {
        return Math.max(0, acknowledgedAmount() - change());
    }

    long phantom() {
        return Math.max(0, change() - possibleAmount());
    }

    boolean pass() {
        return lost() == 0 && phantom() == 0;
    }
}
