package dev.racelab.scenario;

import dev.racelab.core.Cell;
import dev.racelab.core.Operation;
import java.util.List;

/**
 * Seeds 003 and 004: deposits of --amount into --accounts accounts. At the same step, the
 * threads of one instance deposit into different accounts, and each thread moves on to the
 * next account at its next step, as seed 004's 1,000 deposits over 100 accounts do.
 */
public final class DepositScenario implements Scenario {
    private final ScenarioOptions options;

    public DepositScenario(ScenarioOptions options) {
        this.options = options;
    }

    @Override
    public String name() {
        return "deposit";
    }

    @Override
    public String description() {
        return "deposits of --amount into --accounts accounts, in minor units (seeds 003, 004)";
    }

    @Override
    public List<Cell> cells(String prefix) {
        return Accounts.cells(prefix, options);
    }

    @Override
    public Operation operation(String prefix, int instance, int thread, long seq) {
        int account = (int) ((instance + thread + seq) % options.accounts()) + 1;
        return Operation.add(Scenario.operationId(instance, thread, seq), Accounts.key(prefix, account), options.amount());
    }
}
