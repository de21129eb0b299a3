package dev.racelab.store.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racelab.core.FailReason;
import dev.racelab.core.Outcome;
import dev.racelab.store.Capability;
import dev.racelab.store.Isolation;
import dev.racelab.store.LockMode;
import dev.racelab.store.TransactionStore;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Row locks inside transactions: the next locker waits, and a forced lock cycle is a deadlock outcome. */
@Covers(Capability.ROW_LOCK)
public abstract class RowLocksContract extends RoleContract {
    /** How the server shows that a session waits for a lock: the contract waits for that sight, never for time. */
    protected abstract LockWaitView lockWaits();

    @Test
    void aLockedRowMakesTheNextLockerWaitForTheCommit() throws Exception {
        create("a", 0);
        LockWaits.assertTheSecondLockerWaitsForTheFirstCommit(as(TransactionStore.class), lockWaits(), key("a"),
                (tx, k) -> tx.readForUpdate(k, LockMode.FOR_UPDATE).value());
    }

    @Test
    void aDeadlockIsAnOutcomeForOneSideAndTheOtherCommits() throws Exception {
        create("a", 0);
        create("b", 0);
        CyclicBarrier bothHoldOneLock = new CyclicBarrier(2);
        CompletableFuture<Outcome> one = lockBoth(key("a"), key("b"), bothHoldOneLock);
        CompletableFuture<Outcome> two = lockBoth(key("b"), key("a"), bothHoldOneLock);
        List<Outcome> outcomes = List.of(one.get(60, TimeUnit.SECONDS), two.get(60, TimeUnit.SECONDS));
        assertThat(outcomes).filteredOn(Outcome::isOk).hasSize(1);
        assertThat(outcomes).filteredOn(o -> !o.isOk()).singleElement().isEqualTo(Outcome.fail(FailReason.DEADLOCK));
    }

    private CompletableFuture<Outcome> lockBoth(String first, String second, CyclicBarrier barrier) {
        return async(() -> as(TransactionStore.class).inTransaction(Isolation.DEFAULT, tx -> {
            tx.readForUpdate(first, LockMode.FOR_UPDATE);
            await(barrier);
            tx.readForUpdate(second, LockMode.FOR_UPDATE);
            tx.write(first, 1);
            return Outcome.ok();
        }));
    }
}
