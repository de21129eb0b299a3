package dev.racelab.internal.scenario;

import dev.racelab.core.Cell;
import dev.racelab.core.Change;
import dev.racelab.core.Operation;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Seed 003's /transfer: random transfers between --accounts accounts (at least 2), each
 * moving 0.01 up to --amount from one account to another. Both change or neither, and no
 * balance may go below 0 (insufficient funds is a refusal). Money is conserved: the checker
 * proves every account, so the total follows.
 */
public final class TransferScenario implements Scenario {
    private final ScenarioOptions options;

    public TransferScenario(ScenarioOptions options) {
        if (options.accounts() < 2) {
            throw dev.racelab.core.InvalidFieldException.about("accounts", "a transfer needs at least 2 {field}, was " + options.accounts());
        }
        this.options = options;
    }

    @Override
    public String name() {
        return "transfer";
    }

    @Override
    public String description() {
        return "random transfers of up to --amount between --accounts accounts; both sides or neither, floor 0";
    }

    @Override
    public List<Cell> cells(String prefix) {
        return Accounts.cells(prefix, options);
    }

    @Override
    public Map<String, Long> floors(String prefix) {
        Map<String, Long> floors = new java.util.HashMap<>();
        for (Cell cell : cells(prefix)) floors.put(cell.key(), 0L);
        return floors;
    }

    @Override
    public boolean changesSeveralCells() {
        return true;
    }

    @Override
    public String noun() {
        return "transfers";
    }

    @Override
    public String floorRefusal() {
        return "insufficientFunds";
    }

    @Override
    public boolean conservesTotal() {
        return true;
    }

    /** The same operation id always makes the same transfer, in every process. */
    @Override
    public Operation operation(String prefix, int instance, int thread, long seq) {
        long id = Scenario.operationId(instance, thread, seq);
        SplittableRandom random = new SplittableRandom(id);
        int from = random.nextInt(options.accounts()) + 1;
        int to = random.nextInt(options.accounts() - 1) + 1;
        if (to >= from) to++;
        long amount = random.nextLong(options.amount()) + 1;
        return new Operation(id, List.of(new Change(Accounts.key(prefix, from), -amount),
                new Change(Accounts.key(prefix, to), amount)), 0);
    }
}
