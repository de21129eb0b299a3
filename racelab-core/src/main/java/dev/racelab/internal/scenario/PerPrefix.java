package dev.racelab.internal.scenario;

import java.util.function.Function;

/**
 * What a scenario derives from a run's prefix (cell keys, their changes), built once per
 * prefix rather than per operation. A run asks with one prefix millions of times, and its
 * history keeps every operation's changes until the end, so sharing them saves a string and
 * a list per operation and keeps the worker's heap flat. Holds the last prefix only: a
 * worker runs one prefix at a time (its warm-up, then its run).
 */
final class PerPrefix<T> {
    private record Entry<T>(String prefix, T value) {
    }

    private final Function<String, T> build;
    private volatile Entry<T> last;

    PerPrefix(Function<String, T> build) {
        this.build = build;
    }

    T get(String prefix) {
        Entry<T> entry = last;
        if (entry == null || !entry.prefix().equals(prefix)) {
            entry = new Entry<>(prefix, build.apply(prefix));
            last = entry;
        }
        return entry.value();
    }
}
