package dev.racelab.testing;

import dev.racelab.core.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A clock that only moves when something sleeps, and remembers every sleep. */
public final class FakeClock implements Clock {
    private long now;
    private final List<Duration> sleeps = new ArrayList<>();

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    @Override
    public synchronized void sleep(Duration duration) {
        sleeps.add(duration);
        now += duration.toNanos();
    }

    public synchronized void advance(Duration d) {
        now += d.toNanos();
    }

    public synchronized List<Duration> sleeps() {
        return List.copyOf(sleeps);
    }
}
