package dev.racelab.internal.run;

import dev.racelab.core.InvalidFieldException;
import dev.racelab.internal.vocab.FaultKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which faults the nemesis injects during a run, when the first one comes, how often the next
 * ones do, and how long a pause or a partition lasts. Validated when built.
 *
 * @param first when the first fault comes after the load starts; by default one {@code every},
 *     and {@link #LAB_FIRST} when every fault is a lab's: a lab's load, at the lab's speed, often
 *     ends its iterations within one period, and a partition that comes after the load shows nothing
 */
public record NemesisPlan(List<FaultKind> faults, Duration every, Duration length, Duration first) {
    public static final Duration DEFAULT_EVERY = Duration.ofSeconds(5);
    public static final Duration DEFAULT_LENGTH = Duration.ofSeconds(13);
    /** The first of a lab's faults comes once the load has run this long, unless told otherwise. */
    public static final Duration LAB_FIRST = Duration.ofSeconds(1);
    /** A run's faults are bounded in number as well as by the run's length. */
    public static final int MAX_FAULTS = 100;
    public static final NemesisPlan NONE = new NemesisPlan(List.of(), DEFAULT_EVERY, DEFAULT_LENGTH);

    public NemesisPlan {
        faults = List.copyOf(faults);
        if (every == null) every = DEFAULT_EVERY;
        if (length == null) length = DEFAULT_LENGTH;
        if (first == null) first = !faults.isEmpty() && faults.stream().allMatch(FaultKind::inLab) ? LAB_FIRST : every;
        if (first.isNegative() || first.compareTo(Duration.ofHours(1)) > 0) {
            throw InvalidFieldException.must("nemesisAfter", "must be between 0 and 1h, was " + first.toMillis() + "ms");
        }
        if (every.compareTo(Duration.ofMillis(100)) < 0 || every.compareTo(Duration.ofHours(1)) > 0) {
            throw InvalidFieldException.must("nemesisEvery", "must be between 100ms and 1h, was " + every.toMillis() + "ms");
        }
        if (length.isNegative() || length.compareTo(Duration.ofMinutes(10)) > 0) {
            throw InvalidFieldException.must("nemesisFor", "must be between 0 and 10m, was " + length.toMillis() + "ms");
        }
    }

    /** The first fault one {@code every} after the load starts (or {@link #LAB_FIRST} for a lab's faults). */
    public NemesisPlan(List<FaultKind> faults, Duration every, Duration length) {
        this(faults, every, length, null);
    }

    /** "kill-worker,kill-worker" as given to --nemesis. */
    public static List<FaultKind> parse(String names) {
        List<FaultKind> kinds = new ArrayList<>();
        if (names == null || names.isBlank()) return kinds;
        for (String name : names.split(",")) kinds.add(FaultKind.injectable(name.trim().toLowerCase(Locale.ROOT)));
        return kinds;
    }

    public boolean active() {
        return !faults.isEmpty();
    }

    /** Whether any of its faults acts on a lab's nodes. */
    public boolean needsLab() {
        return faults.stream().anyMatch(FaultKind::inLab);
    }

    public boolean has(FaultKind kind) {
        return faults.contains(kind);
    }
}
