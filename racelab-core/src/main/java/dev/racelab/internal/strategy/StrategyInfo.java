package dev.racelab.internal.strategy;

import dev.racelab.internal.vocab.StrategyId;
import dev.racelab.store.Capability;
import dev.racelab.store.GuardStore;
import dev.racelab.store.Layout;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * A registered strategy and the facts about it: what it needs of each store, whether it is
 * expected to keep every invariant ({@code safe}), whether it retries until the operation is
 * done or may give up under contention, a plain description of how it works, and, for the
 * two-store designs, the sweep that finishes what crashed clients left half done.
 */
public record StrategyInfo(StrategyId id, boolean safe, String how, Needs needs, Layout layout, boolean retriesUntilDone,
                           boolean oneCellOnly, Function<StrategyContext, Strategy> factory, Recovery recovery,
                           Function<StrategyOptions, CellShape> shape) {
    /**
     * What the strategy needs: of the cell store, of it again when one operation changes
     * several cells, of a lease store, and of a store that logs its orders (none: no such store).
     */
    public record Needs(Set<Capability> cells, Set<Capability> severalCells, Set<Capability> leases, Set<Capability> log) {
        public Needs {
            cells = Set.copyOf(cells);
            severalCells = Set.copyOf(severalCells);
            leases = Set.copyOf(leases);
            log = Set.copyOf(log);
        }

        public static Needs cells(Capability... capabilities) {
            return new Needs(Set.of(capabilities), Set.of(), Set.of(), Set.of());
        }

        public Needs forSeveralCells(Capability... more) {
            return new Needs(cells, Set.of(more), leases, log);
        }

        public Needs withLeases(Capability... capabilities) {
            return new Needs(cells, severalCells, Set.of(capabilities), log);
        }

        public Needs withLog(Capability... capabilities) {
            return new Needs(cells, severalCells, leases, Set.of(capabilities));
        }
    }

    /** Finishes operations that crashed between two stores; returns how many it finished. */
    @FunctionalInterface
    public interface Recovery {
        long recover(GuardStore cells, GuardStore orderLog, String prefix);
    }

    public StrategyInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(how, "how");
        Objects.requireNonNull(needs, "needs");
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(factory, "factory");
        if (shape == null) shape = options -> CellShape.PLAIN;
    }

    /** The name users type and read: its identity's. */
    public String name() {
        return id.flagName();
    }

    /** A strategy whose retries go on until the operation is done, with no sweep. */
    public static StrategyInfo of(StrategyId id, boolean safe, Needs needs, String how, Function<StrategyContext, Strategy> factory) {
        return new StrategyInfo(id, safe, how, needs, Layout.KEYED, true, false, factory, null, null);
    }

    /** Runs on seed 000's table with no primary key. */
    public StrategyInfo keyless() {
        return new StrategyInfo(id, safe, how, needs, Layout.KEYLESS, retriesUntilDone, oneCellOnly, factory, recovery, shape);
    }

    /** Gives up after a bounded number of attempts, so under contention it may refuse some operations. */
    public StrategyInfo mayGiveUp() {
        return new StrategyInfo(id, safe, how, needs, layout, false, oneCellOnly, factory, recovery, shape);
    }

    public StrategyInfo withRecovery(Recovery sweep) {
        return new StrategyInfo(id, safe, how, needs, layout, retriesUntilDone, oneCellOnly, factory, sweep, shape);
    }

    /** Changes one cell per operation: refused for scenarios whose operations change several. */
    public StrategyInfo changingOneCell() {
        return new StrategyInfo(id, safe, how, needs, layout, retriesUntilDone, true, factory, recovery, shape);
    }

    /** Keeps each cell as rows of its own shape (slots), built from the run's strategy options. */
    public StrategyInfo spreading(Function<StrategyOptions, CellShape> cellShape) {
        return new StrategyInfo(id, safe, how, needs, layout, retriesUntilDone, oneCellOnly, factory, recovery, cellShape);
    }

    /** How this strategy keeps cells in the store, with these options. */
    public CellShape shape(StrategyOptions options) {
        return shape.apply(StrategyOptions.orDefault(options));
    }

    /** Whether it keeps a cell as something other than one row under the cell's key. */
    public boolean spreadsCells() {
        return !shape(StrategyOptions.DEFAULT).plain();
    }

    /** What each injected fault does to this strategy's acknowledged changes, as the fault tests show. */
    public FaultModel faults() {
        if (!safe) return needsLogStore() ? FaultModel.TWO_WRITES : FaultModel.UNSAFE;
        if (needsLeases()) return needs.cells().contains(dev.racelab.store.Capability.FENCE) ? FaultModel.FENCED_LEASE : FaultModel.UNFENCED_LEASE;
        return FaultModel.STORE_STEPS;
    }

    public boolean needsLeases() {
        return !needs.leases().isEmpty();
    }

    public boolean needsLogStore() {
        return !needs.log().isEmpty();
    }

    /** What a cell store with {@code has} lacks for this strategy; empty when it fits. */
    public Set<Capability> missingFrom(Set<Capability> has, boolean severalCells) {
        Set<Capability> missing = EnumSet.noneOf(Capability.class);
        missing.addAll(needs.cells());
        if (severalCells) missing.addAll(needs.severalCells());
        missing.removeAll(has);
        return missing;
    }

    public Set<Capability> missingFrom(Set<Capability> has) {
        return missingFrom(has, false);
    }

    public Strategy create(StrategyContext ctx) {
        return factory.apply(ctx);
    }
}
