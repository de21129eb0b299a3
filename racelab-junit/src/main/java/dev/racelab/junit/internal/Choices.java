package dev.racelab.junit.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;

/**
 * The decisions of one schedule: at each point where two or more invocations could take their
 * next step, which of them (by its place among those runnable, in index order) goes. A schedule's
 * seed is its decisions as one mixed-radix number (decision i in base "how many could go"), so a
 * seed names a schedule exactly and replaying it needs no random generator at all.
 */
final class Choices {
    /** Where the decisions beyond a given prefix come from. */
    @FunctionalInterface
    interface Source {
        int choose(int arity);
    }

    private final List<Integer> prefix;
    private final Source beyond;
    private final List<Integer> taken = new ArrayList<>();
    private final List<Integer> arities = new ArrayList<>();

    private Choices(List<Integer> prefix, Source beyond) {
        this.prefix = List.copyOf(prefix);
        this.beyond = beyond;
    }

    /** The first schedule (always the first runnable), then the next in depth-first order after each. */
    static Choices depthFirst(List<Integer> prefix) {
        return new Choices(prefix, arity -> 0);
    }

    static Choices random(SplittableRandom random) {
        return new Choices(List.of(), random::nextInt);
    }

    /** Replays the schedule a seed names; {@link #leftover()} says whether the seed had more decisions than the run. */
    static Choices replay(long seed) {
        long[] rest = {seed};
        Choices c = new Choices(List.of(), arity -> {
            int choice = (int) (rest[0] % arity);
            rest[0] /= arity;
            return choice;
        });
        c.replayRest = rest;
        return c;
    }

    private long[] replayRest;

    int choose(int arity) {
        if (arity < 2) throw new IllegalArgumentException("a decision needs two or more runnable invocations, had " + arity);
        int at = taken.size();
        int choice = at < prefix.size() ? Math.min(prefix.get(at), arity - 1) : beyond.choose(arity);
        taken.add(choice);
        arities.add(arity);
        return choice;
    }

    /** The seed of the decisions taken, or empty when they do not fit in one long. */
    OptionalLong seed() {
        long seed = 0;
        long weight = 1;
        int last = taken.size() - 1;
        while (last >= 0 && taken.get(last) == 0) last--; // trailing first-runnable decisions cost nothing
        try {
            for (int i = 0; i <= last; i++) {
                seed = Math.addExact(seed, Math.multiplyExact(taken.get(i), weight));
                if (i < last) weight = Math.multiplyExact(weight, arities.get(i));
            }
        } catch (ArithmeticException tooLong) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(seed);
    }

    /** The next schedule in depth-first order: the last decision that has an untried choice, moved on by one. */
    Optional<List<Integer>> nextPrefix() {
        for (int i = taken.size() - 1; i >= 0; i--) {
            if (taken.get(i) + 1 < arities.get(i)) {
                List<Integer> next = new ArrayList<>(taken.subList(0, i));
                next.add(taken.get(i) + 1);
                return Optional.of(next);
            }
        }
        return Optional.empty();
    }

    /** For a replay: the part of the seed no decision used (0 when the run matched the seed). */
    long leftover() {
        return replayRest == null ? 0 : replayRest[0];
    }

    List<Integer> taken() {
        return List.copyOf(taken);
    }
}
