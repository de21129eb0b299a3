package dev.racelab.store.testkit;

import dev.racelab.store.Capability;
import dev.racelab.store.TransactionStore;
import org.junit.jupiter.api.Test;

/** Advisory locks inside transactions: the next holder of the name waits for the commit. */
@Covers(Capability.ADVISORY_LOCK)
public abstract class AdvisoryLocksContract extends RoleContract {
    /** How the server shows that a session waits for a lock: the contract waits for that sight, never for time. */
    protected abstract LockWaitView lockWaits();

    @Test
    void anAdvisoryLockMakesTheNextHolderWaitForTheCommit() throws Exception {
        create("a", 0);
        LockWaits.assertTheSecondLockerWaitsForTheFirstCommit(as(TransactionStore.class), lockWaits(), key("a"), (tx, k) -> {
            tx.lockAdvisory(k + "#lock");
            return tx.read(k).value();
        });
    }
}
