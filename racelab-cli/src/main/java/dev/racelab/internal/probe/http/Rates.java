package dev.racelab.internal.probe.http;

import dev.racelab.internal.report.RunResult;
import org.HdrHistogram.Histogram;

/** The rate and latency figures of a probe's or a load's result, rounded as the JSON shows them. */
public final class Rates {
    private Rates() {
    }

    /** Requests per second over the load, to one decimal; 0 for a load that took no time. */
    public static double perSecond(long completed, long elapsedNanos) {
        double seconds = elapsedNanos / 1e9;
        return seconds > 0 ? round(completed / seconds, 1) : 0;
    }

    /** p50, p95, p99 and max in ms (to the microsecond) of a histogram recorded in microseconds. */
    public static RunResult.LatencyMs latencyMs(Histogram micros) {
        return new RunResult.LatencyMs(ms(micros.getValueAtPercentile(50)), ms(micros.getValueAtPercentile(95)),
                ms(micros.getValueAtPercentile(99)), ms(micros.getMaxValue()));
    }

    private static double ms(long micros) {
        return round(micros / 1000.0, 3);
    }

    private static double round(double v, int decimals) {
        double f = Math.pow(10, decimals);
        return Math.round(v * f) / f;
    }
}
