package dev.racelab.internal.scenario;

import dev.racelab.core.Cell;
import java.util.ArrayList;
import java.util.List;

/** Accounts 1..n as cells holding minor units, each starting with the same balance. */
public final class Accounts {
    private Accounts() {
    }

    public static String key(String prefix, int account) {
        return prefix + "account:" + account;
    }

    static List<Cell> cells(String prefix, ScenarioOptions options) {
        List<Cell> cells = new ArrayList<>(options.accounts());
        for (int a = 1; a <= options.accounts(); a++) cells.add(new Cell(key(prefix, a), options.balance(), 0));
        return cells;
    }
}
