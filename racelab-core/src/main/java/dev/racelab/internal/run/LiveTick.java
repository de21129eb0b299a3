package dev.racelab.internal.run;

/**
 * One moment of a live race, as the page draws it. {@code acknowledged} is the value the
 * clients were told of (the initial value plus every acknowledged delta); {@code stored} is what
 * the store held when read just after. {@code lost} counts the acknowledged operations the
 * store does not hold, as far as that read shows (operations still in flight may land later, so
 * it never overstates); {@code oversold} the units sold beyond the stock. {@code conflicts} are
 * the operations refused on contention (what the HTTP service answers with 409: a conflict that
 * outlived its retries, a deadlock, a serialization failure, a lock timeout, a fenced write);
 * {@code refused} those refused by the floor (sold out). Latencies are the interval's, in ms.
 */
public record LiveTick(long ms, int inFlight, long done, long ok, long acknowledged, long stored, long lost, long oversold,
                       long retries, long conflicts, long refused, long unknown, long errors, double opsPerSec,
                       double p50Ms, double p99Ms, double maxMs) {
}
