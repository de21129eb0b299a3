package dev.racelab.internal.scenario;

import dev.racelab.core.Cell;
import dev.racelab.core.Change;
import dev.racelab.core.Operation;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Seeds 003 and 004: deposits of --amount into --accounts accounts. At the same step, the
 * threads of one instance deposit into different accounts, and each thread moves on to the
 * next account at its next step, as seed 004's 1,000 deposits over 100 accounts do.
 */
public final class DepositScenario implements Scenario {
    private final ScenarioOptions options;
    /** Per account (index 0 is account 1): the one change a deposit makes. */
    private final PerPrefix<List<List<Change>>> deposits;

    public DepositScenario(ScenarioOptions options) {
        this.options = options;
        this.deposits = new PerPrefix<>(prefix -> IntStream.rangeClosed(1, options.accounts())
                .mapToObj(a -> List.of(new Change(Accounts.key(prefix, a), options.amount()))).toList());
    }

    @Override
    public String name() {
        return "deposit";
    }

    @Override
    public String noun() {
        return "deposits";
    }

    @Override
    public String description() {
        return "deposits of --amount into --accounts accounts, in minor units";
    }

    @Override
    public List<Cell> cells(String prefix) {
        return Accounts.cells(prefix, options);
    }

    @Override
    public Operation operation(String prefix, int instance, int thread, long seq) {
        int account = (int) ((instance + thread + seq) % options.accounts()) + 1;
        return new Operation(Scenario.operationId(instance, thread, seq), deposits.get(prefix).get(account - 1), Operation.NO_FLOOR);
    }
}
