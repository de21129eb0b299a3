package dev.racelab.strategy;

import dev.racelab.store.Capability;
import dev.racelab.store.Layout;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * A registered strategy: its name, what it needs from a store, whether it is expected to keep
 * every invariant ({@code safe}), and a plain description of how it works.
 */
public record StrategyInfo(String name, Set<Capability> requires, Layout layout, boolean safe,
                           String how, Function<StrategyContext, Strategy> factory) {
    public StrategyInfo {
        Objects.requireNonNull(name, "name");
        requires = Set.copyOf(requires);
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(how, "how");
        Objects.requireNonNull(factory, "factory");
    }

    /** The capabilities a store with {@code has} lacks for this strategy; empty when it fits. */
    public Set<Capability> missingFrom(Set<Capability> has) {
        Set<Capability> missing = requires.isEmpty() ? EnumSet.noneOf(Capability.class) : EnumSet.copyOf(requires);
        missing.removeAll(has);
        return missing;
    }

    public Strategy create(StrategyContext ctx) {
        return factory.apply(ctx);
    }
}
