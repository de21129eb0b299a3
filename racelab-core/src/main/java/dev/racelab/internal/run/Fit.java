package dev.racelab.internal.run;

import dev.racelab.core.InvalidFieldException;
import dev.racelab.internal.registry.StoreRegistry;
import dev.racelab.internal.scenario.Scenario;
import dev.racelab.store.Capability;
import dev.racelab.internal.strategy.Strategies;
import dev.racelab.internal.strategy.StrategyInfo;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a strategy can run a scenario on the stores chosen for each role: the one place
 * that decides it, for {@code run}, {@code demo} and {@code serve}. A misfit is an error on
 * the field of the store that falls short ({@code store}, {@code leaseStore}, {@code logStore}).
 *
 * @param cells  the cell store's name
 * @param leases the lease store's name; null for leases from the cell store, where it has them
 * @param log    the store that logs orders for the two-store strategies; null for none
 */
public record Fit(StoreRegistry registry, StrategyInfo strategy, Scenario scenario, String cells, String leases, String log) {
    public static Fit of(StrategyInfo strategy, Scenario scenario, String cells, String leases, String log) {
        return new Fit(StoreRegistry.current(), strategy, scenario, cells, leases, log);
    }

    /** Throws the first misfit found. */
    public void require() {
        problem().ifPresent(e -> {
            throw e;
        });
    }

    public boolean fits() {
        return problem().isEmpty();
    }

    /** Every capability missing on the cell store, and on it as the lease store when no other is named: for a skip list. */
    public Set<Capability> missingCapabilities() {
        Set<Capability> has = capabilities(cells);
        Set<Capability> missing = EnumSet.noneOf(Capability.class);
        missing.addAll(strategy.missingFrom(has, scenario.changesSeveralCells()));
        if (leases == null) for (Capability c : strategy.needs().leases()) if (!has.contains(c)) missing.add(c);
        if (scenario.usesGuards() && !has.contains(Capability.GUARD_ROW) && log == null) missing.add(Capability.GUARD_ROW);
        return missing;
    }

    public Optional<InvalidFieldException> problem() {
        Set<Capability> cellCaps = capabilities(cells);
        Set<Capability> missing = strategy.missingFrom(cellCaps, scenario.changesSeveralCells());
        if (!missing.isEmpty()) {
            boolean onlyForSeveral = scenario.changesSeveralCells() && strategy.missingFrom(cellCaps).isEmpty();
            return fail("store", "strategy '" + strategy.name() + "' needs " + missing
                    + (onlyForSeveral ? " to change several cells at once" : "") + ", which store '" + cells + "' does not have");
        }
        if (strategy.oneCellOnly() && scenario.changesSeveralCells()) {
            return fail("scenario", "strategy '" + strategy.name() + "' changes one cell per operation, and {field} '"
                    + scenario.name() + "' changes several at once");
        }
        if (scenario.usesGuards() && !strategy.needsLogStore() && !cellCaps.contains(Capability.GUARD_ROW)) {
            return fail("store", "scenario '" + scenario.name() + "' writes guard rows, which store '" + cells + "' does not have");
        }
        Optional<InvalidFieldException> lease = leaseProblem(cellCaps);
        return lease.isPresent() ? lease : logProblem();
    }

    private Optional<InvalidFieldException> leaseProblem(Set<Capability> cellCaps) {
        Set<Capability> needs = strategy.needs().leases();
        if (needs.isEmpty()) {
            if (leases == null) return Optional.empty();
            return fail("leaseStore", "{field} is for the strategies that take leases ("
                    + String.join(", ", Strategies.namesThat(StrategyInfo::needsLeases)) + "), not " + strategy.name());
        }
        String choices = String.join(", ", registry.namesWith(needs));
        if (leases == null) {
            if (cellCaps.containsAll(needs)) return Optional.empty();
            return fail("leaseStore", "strategy '" + strategy.name() + "' needs " + missing(needs, cellCaps)
                    + ", which store '" + cells + "' does not have; take the leases from another store with {field} (" + choices + ")");
        }
        Set<Capability> leaseCaps = capabilities("leaseStore", leases);
        if (leaseCaps.containsAll(needs)) return Optional.empty();
        return fail("leaseStore", "{field} '" + leases + "' has no " + missing(needs, leaseCaps) + " for strategy '"
                + strategy.name() + "'; choose one of: " + choices);
    }

    private Optional<InvalidFieldException> logProblem() {
        Set<Capability> needs = strategy.needs().log();
        if (needs.isEmpty()) {
            if (log == null) return Optional.empty();
            return fail("logStore", "{field} is for the strategies that log orders in a second store ("
                    + String.join(", ", Strategies.namesThat(StrategyInfo::needsLogStore)) + "), not " + strategy.name());
        }
        if (!scenario.sellsStock()) {
            return fail("scenario", "strategy " + strategy.name() + " logs orders, so it needs {field} order, not " + scenario.name());
        }
        if (log == null) return fail("logStore", "strategy " + strategy.name() + " needs a store that logs its orders ({field})");
        if (capabilities("logStore", log).containsAll(needs)) return Optional.empty();
        return fail("logStore", "{field} must be a SQL store (" + String.join(", ", registry.namesWith(needs)) + "), not " + log);
    }

    private Set<Capability> capabilities(String name) {
        return capabilities("store", name);
    }

    private Set<Capability> capabilities(String field, String name) {
        return registry.provider(field, name).capabilities();
    }

    private static Set<Capability> missing(Set<Capability> needs, Set<Capability> has) {
        Set<Capability> missing = EnumSet.copyOf(needs);
        missing.removeAll(has);
        return missing;
    }

    private static Optional<InvalidFieldException> fail(String field, String sentence) {
        return Optional.of(InvalidFieldException.about(field, sentence));
    }
}
