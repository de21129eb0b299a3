package dev.racelab.strategy;

import dev.racelab.store.Capability;
import dev.racelab.store.Layout;
import dev.racelab.store.Store;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * A registered strategy: its name, what it needs from a store, whether it is expected to keep
 * every invariant ({@code safe}), and a plain description of how it works. A strategy with
 * {@code needsLogStore} keeps its guard rows (orders) in a second, SQL store; one with a
 * {@code recovery} has a sweep that finishes what crashed clients left half done.
 */
public record StrategyInfo(String name, Set<Capability> requires, Layout layout, boolean safe,
                           String how, Function<StrategyContext, Strategy> factory, boolean needsLogStore,
                           Recovery recovery, Set<Capability> multiCellRequires) {
    /** Finishes operations that crashed between two stores; returns how many it finished. */
    @FunctionalInterface
    public interface Recovery {
        long recover(Store store, Store guardStore, String prefix);
    }

    public StrategyInfo {
        Objects.requireNonNull(name, "name");
        requires = Set.copyOf(requires);
        multiCellRequires = multiCellRequires == null ? Set.of() : Set.copyOf(multiCellRequires);
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(how, "how");
        Objects.requireNonNull(factory, "factory");
    }

    public StrategyInfo(String name, Set<Capability> requires, Layout layout, boolean safe, String how,
                        Function<StrategyContext, Strategy> factory) {
        this(name, requires, layout, safe, how, factory, false, null, Set.of());
    }

    /** A strategy that needs more from a store when one operation changes several cells. */
    public StrategyInfo withMultiCellRequires(Capability... more) {
        return new StrategyInfo(name, requires, layout, safe, how, factory, needsLogStore, recovery, Set.of(more));
    }

    /** What a store with {@code has} lacks for this strategy on a scenario; empty when it fits. */
    public Set<Capability> missingFrom(Set<Capability> has, boolean severalCells) {
        Set<Capability> missing = EnumSet.noneOf(Capability.class);
        missing.addAll(requires);
        if (severalCells) missing.addAll(multiCellRequires);
        missing.removeAll(has);
        return missing;
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
