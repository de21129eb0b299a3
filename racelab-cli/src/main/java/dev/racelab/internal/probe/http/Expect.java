package dev.racelab.internal.probe.http;

import dev.racelab.core.UsageException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The invariant a probe checks on the value it reads. */
public enum Expect {
    /** final = start + the acknowledged deltas, within what the uncertain requests could add. */
    SUM,
    /** never below --floor, and the acknowledged takes fit in start - floor. */
    FLOOR,
    /** the effect applies once per key: final = start + delta x the distinct keys acknowledged. */
    ONCE;

    public static Expect parse(String text) {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--expect must be one of " + names() + ", was '" + text + "'");
        }
    }

    public static String names() {
        return Arrays.stream(values()).map(Expect::toString).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
