package dev.racelab.junit.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The decisions of one schedule: at each point where two or more invocations could take their
 * next step, which of them goes. Option 0 is the invocation that took the last step, when it can go
 * on (no context switch); the others follow in index order. A decision that picks another while the
 * last one could go on is a context switch (a preemption): exploring by fewest of them first finds
 * the shortest failing schedules first, as Lincheck's model checker and CHESS do. A schedule's seed
 * is its decisions as one mixed-radix number (decision i in base "how many could go"), so a seed
 * names a schedule exactly and replaying it needs no random generator at all.
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
    /** Whether the invocation that took the last step could go on at that decision: another choice is then a switch. */
    private final List<Boolean> preemptive = new ArrayList<>();
    private long[] replayRest;

    private Choices(List<Integer> prefix, Source beyond) {
        this.prefix = List.copyOf(prefix);
        this.beyond = beyond;
    }

    /** The given decisions, then always option 0 (go on with the last one): no context switch beyond the prefix. */
    static Choices prefixed(List<Integer> prefix) {
        return new Choices(prefix, arity -> 0);
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

    /**
     * Decides among {@code arity} runnable invocations.
     *
     * @param lastCanGoOn whether option 0 is the invocation that took the last step (choosing another is a switch)
     */
    int choose(int arity, boolean lastCanGoOn) {
        if (arity < 2) throw new IllegalArgumentException("a decision needs two or more runnable invocations, had " + arity);
        int at = taken.size();
        int choice = at < prefix.size() ? Math.min(prefix.get(at), arity - 1) : beyond.choose(arity);
        taken.add(choice);
        arities.add(arity);
        preemptive.add(lastCanGoOn);
        return choice;
    }

    /** The seed of the decisions taken, or empty when they do not fit in one long. */
    OptionalLong seed() {
        long seed = 0;
        long weight = 1;
        int last = taken.size() - 1;
        while (last >= 0 && taken.get(last) == 0) last--; // trailing option-0 decisions cost nothing
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

    /** Context switches among the first {@code upTo} decisions. */
    int switches(int upTo) {
        int n = 0;
        for (int i = 0; i < upTo && i < taken.size(); i++) if (taken.get(i) != 0 && preemptive.get(i)) n++;
        return n;
    }

    int switches() {
        return switches(taken.size());
    }

    /** A schedule not yet run: its decisions up to where it departs from a run, and the context switches they make. */
    record Branch(List<Integer> prefix, int switches) {
    }

    /**
     * The schedules that depart from this run at a decision at or after {@code from} (the length of the prefix it
     * replayed): each other option there, followed by option 0. Each schedule is so reached from exactly one run.
     */
    List<Branch> branches(int from) {
        List<Branch> out = new ArrayList<>();
        for (int i = from; i < taken.size(); i++) {
            int before = switches(i);
            for (int c = 0; c < arities.get(i); c++) {
                if (c == taken.get(i)) continue;
                if (i < prefix.size()) continue; // the prefix's own decisions were branched by the run that made it
                List<Integer> p = new ArrayList<>(taken.subList(0, i));
                p.add(c);
                out.add(new Branch(p, before + (c != 0 && preemptive.get(i) ? 1 : 0)));
            }
        }
        return out;
    }

    /** For a replay: the part of the seed no decision used (0 when the run matched the seed). */
    long leftover() {
        return replayRest == null ? 0 : replayRest[0];
    }

    List<Integer> taken() {
        return List.copyOf(taken);
    }
}
