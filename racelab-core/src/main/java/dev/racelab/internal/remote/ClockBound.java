package dev.racelab.internal.remote;

import java.util.List;

/**
 * How far a host's clock is from the coordinator's, and how sure that is, NTP-style: the
 * coordinator reads its clock (t0), asks the host's, and reads its own again (t1) when the answer
 * is back; the host read its clock somewhere between, so its offset is {@code remote - (t0+t1)/2}
 * within {@code (t1-t0)/2}. Of several samples, the one with the shortest round trip bounds best.
 */
public record ClockBound(double offsetMs, double errorMs) {
    /** One round trip, in microseconds since the epoch: sent, the host's reading, received. */
    public record Sample(long sentMicros, long remoteMicros, long receivedMicros) {
        ClockBound bound() {
            double mid = (sentMicros + receivedMicros) / 2.0;
            return new ClockBound(round((remoteMicros - mid) / 1000.0), round((receivedMicros - sentMicros) / 2000.0));
        }
    }

    public static ClockBound best(List<Sample> samples) {
        if (samples.isEmpty()) throw new IllegalArgumentException("no samples");
        return samples.stream().map(Sample::bound).min(java.util.Comparator.comparingDouble(ClockBound::errorMs)).orElseThrow();
    }

    /** The smallest bound that holds both: over a run, the offset lay within the start's bound and the end's. */
    public ClockBound union(ClockBound other) {
        double low = Math.min(offsetMs - errorMs, other.offsetMs - other.errorMs);
        double high = Math.max(offsetMs + errorMs, other.offsetMs + other.errorMs);
        return new ClockBound(round((low + high) / 2), round((high - low) / 2));
    }

    private static double round(double ms) {
        return Math.round(ms * 1000) / 1000.0;
    }
}
