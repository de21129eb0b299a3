package dev.racelab.junit.internal.invariants;

import static dev.racelab.junit.internal.invariants.Words.count;
import static dev.racelab.junit.internal.invariants.Words.things;

import dev.racelab.core.Status;
import dev.racelab.junit.Finding;
import dev.racelab.junit.Invariant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/** At most one acknowledged invocation per key: an idempotency key, a coupon, a like. */
public final class OnceInvariant implements Invariant {
    private final String name;
    private final IntFunction<?> keyOf;

    public OnceInvariant(String name, IntFunction<?> keyOf) {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("name must not be blank");
        if (keyOf == null) throw new IllegalArgumentException("keyOf must not be null");
        this.name = name;
        this.keyOf = keyOf;
    }

    @Override
    public Check start() {
        return outcomes -> {
            Map<Object, Long> successes = new LinkedHashMap<>();
            for (int i : outcomes.withStatus(Status.OK)) successes.merge(keyOf.apply(i), 1L, Long::sum);
            List<String> twice = new ArrayList<>();
            long extra = 0;
            for (Map.Entry<Object, Long> e : successes.entrySet()) {
                if (e.getValue() <= 1) continue;
                extra += e.getValue() - 1;
                if (twice.size() < 5) twice.add(e.getKey() + " (" + count(e.getValue()) + " times)");
            }
            String head = "once per " + name + " (expected at most 1 success per key, actual " + count(extra) + " extra)";
            String words = extra == 0
                    ? "each of the " + things(successes.size(), "acknowledged key") + " succeeded once (" + things(outcomes.invocations(), "invocation") + ")"
                    : count(extra) + (extra == 1 ? " success" : " successes") + " beyond the first for one " + name + ": "
                            + String.join(", ", twice) + (twice.size() < countOver(successes) ? ", ..." : "")
                            + ": an effect applied more than once for one " + name;
            return new Finding("once per " + name, extra == 0, "at most 1 per key", count(extra) + " extra", 0, head + ": " + words);
        };
    }

    private static long countOver(Map<Object, Long> successes) {
        return successes.values().stream().filter(n -> n > 1).count();
    }

    @Override
    public String toString() {
        return "once per " + name;
    }
}
