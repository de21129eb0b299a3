package dev.racelab.store.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.racelab.core.Cell;
import dev.racelab.core.FailReason;
import dev.racelab.core.Outcome;
import dev.racelab.core.StoreException;
import dev.racelab.store.Capability;
import dev.racelab.store.CellStore;
import dev.racelab.store.Isolation;
import dev.racelab.store.TransactionStore;
import org.junit.jupiter.api.Test;

/** The transactions role: a body that commits when it succeeds and rolls back otherwise. */
@Covers(Capability.TX)
public abstract class TransactionsContract extends RoleContract {
    private TransactionStore tx() {
        return as(TransactionStore.class);
    }

    private CellStore cells() {
        return as(CellStore.class);
    }

    @Test
    void aTransactionCommitsWhenItsBodySucceeds() {
        create("a", 1);
        create("b", 2);
        Outcome outcome = tx().inTransaction(Isolation.DEFAULT, tx -> {
            tx.write(key("a"), 10);
            tx.write(key("b"), 20);
            return Outcome.ok();
        });
        assertThat(outcome.isOk()).isTrue();
        assertThat(cells().read(key("a")).value()).isEqualTo(10);
        assertThat(cells().read(key("b")).value()).isEqualTo(20);
    }

    @Test
    void aTransactionRollsBackWhenItsBodyFails() {
        create("a", 1);
        Outcome outcome = tx().inTransaction(Isolation.DEFAULT, tx -> {
            tx.write(key("a"), 10);
            return Outcome.fail(FailReason.FLOOR);
        });
        assertThat(outcome).isEqualTo(Outcome.fail(FailReason.FLOOR));
        assertThat(cells().read(key("a"))).isEqualTo(new Cell(key("a"), 1, 0));
    }

    @Test
    void aTransactionRollsBackWhenItsBodyThrows() {
        create("a", 1);
        assertThatThrownBy(() -> tx().inTransaction(Isolation.DEFAULT, tx -> {
            tx.write(key("a"), 10);
            tx.read(key("missing"));
            return Outcome.ok();
        })).isInstanceOf(StoreException.class);
        assertThat(cells().read(key("a")).value()).isEqualTo(1);
    }
}
