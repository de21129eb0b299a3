package dev.racelab.junit.internal.invariants;

import static dev.racelab.junit.internal.invariants.Words.count;

import dev.racelab.core.Status;
import dev.racelab.junit.Finding;
import dev.racelab.junit.Invariant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * At most one effect per key, counted where the effect lands (rows per key, charges a fake gateway
 * recorded) rather than by the calls that were acknowledged: a card charged twice while one call
 * succeeded is caught. With {@code keyOf}, each key an acknowledged invocation had must also show its
 * effect; UNKNOWN invocations may or may not have had theirs.
 */
public final class EffectsInvariant implements Invariant {
    private static final int SHOWN = 5;

    private final String name;
    private final IntFunction<?> keyOf;
    private final Effects effects;

    public EffectsInvariant(String name, IntFunction<?> keyOf, Effects effects) {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("name must not be blank");
        if (effects == null) throw new IllegalArgumentException("effects must not be null");
        this.name = name;
        this.keyOf = keyOf;
        this.effects = effects;
    }

    @Override
    public Check start() throws Exception {
        Map<Object, Long> before = new HashMap<>(read());
        return outcomes -> {
            Map<Object, Long> added = new LinkedHashMap<>();
            read().forEach((k, n) -> {
                long d = n - before.getOrDefault(k, 0L);
                if (d != 0) added.put(k, d);
            });
            List<String> twice = new ArrayList<>();
            long extra = 0;
            for (Map.Entry<Object, Long> e : added.entrySet()) {
                if (e.getValue() <= 1) continue;
                extra += e.getValue() - 1;
                if (twice.size() < SHOWN) twice.add(e.getKey() + " (" + count(e.getValue()) + " times)");
            }
            Set<Object> missing = new LinkedHashSet<>();
            if (keyOf != null) {
                for (int i : outcomes.withStatus(Status.OK)) {
                    Object key = keyOf.apply(i);
                    if (added.getOrDefault(key, 0L) < 1) missing.add(key);
                }
            }
            boolean holds = extra == 0 && missing.isEmpty();
            String head = "once per " + name + " (expected at most 1 effect per key" + (keyOf == null ? "" : ", 1 for each acknowledged key")
                    + ", actual " + count(extra) + " extra" + (keyOf == null ? "" : ", " + count(missing.size()) + " missing") + ")";
            List<String> words = new ArrayList<>();
            if (extra > 0) {
                words.add(count(extra) + (extra == 1 ? " effect" : " effects") + " beyond the first for one " + name + ": "
                        + String.join(", ", twice) + (twice.size() < over(added) ? ", ..." : "") + ": an effect applied more than once"
                        + " for one " + name + ", whatever the calls answered (" + count(outcomes.acknowledged()) + " acknowledged)");
            }
            if (!missing.isEmpty()) {
                List<String> some = missing.stream().limit(SHOWN).map(String::valueOf).toList();
                words.add(count(missing.size()) + " acknowledged " + name + (missing.size() == 1 ? " has" : "s have") + " no effect: "
                        + String.join(", ", some) + (missing.size() > SHOWN ? ", ..." : ""));
            }
            if (holds) {
                words.add(count(added.size()) + " " + name + (added.size() == 1 ? "" : "s") + " took effect, each once ("
                        + count(outcomes.acknowledged()) + " acknowledged, " + count(outcomes.unknown()) + " unknown)");
            }
            return new Finding("once per " + name, holds, keyOf == null ? "at most 1 per key" : "1 per acknowledged key",
                    count(extra) + " extra" + (keyOf == null ? "" : ", " + count(missing.size()) + " missing"), 0,
                    head + ": " + String.join("; ", words));
        };
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Long> read() throws Exception {
        Map<?, Long> m = effects.count();
        if (m == null) throw new IllegalStateException("the effects of " + name + " read as null: return an empty map for none");
        return (Map<Object, Long>) m;
    }

    private static long over(Map<Object, Long> added) {
        return added.values().stream().filter(n -> n > 1).count();
    }

    @Override
    public String toString() {
        return "once per " + name;
    }
}
