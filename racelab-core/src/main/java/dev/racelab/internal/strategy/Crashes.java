package dev.racelab.internal.strategy;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Injected client crashes for strategies that write to two stores: the first {@code count}
 * operations of a process that pass the first step stop there, as if the process had died
 * before the second. Their client never hears back, so their outcome is unknown.
 */
public final class Crashes {
    public static final Crashes NONE = new Crashes(0);

    private final AtomicInteger left;

    public Crashes(int count) {
        if (count < 0) throw new IllegalArgumentException("crash count must be >= 0, was " + count);
        this.left = new AtomicInteger(count);
    }

    /** True for the operations that crash now; each crash is used up once. */
    public boolean strike() {
        return left.get() > 0 && left.getAndDecrement() > 0;
    }
}
