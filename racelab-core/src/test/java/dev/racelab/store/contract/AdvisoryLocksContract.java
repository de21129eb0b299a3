package dev.racelab.store.contract;

import dev.racelab.store.Capability;
import dev.racelab.store.TransactionStore;
import org.junit.jupiter.api.Test;

/** Advisory locks inside transactions: the next holder of the name waits for the commit. */
@Covers(Capability.ADVISORY_LOCK)
abstract class AdvisoryLocksContract extends RoleContract {
    AdvisoryLocksContract(String storeName) {
        super(storeName);
    }

    @Test
    void anAdvisoryLockMakesTheNextHolderWaitForTheCommit() throws Exception {
        create("a", 0);
        LockWaits.assertTheSecondLockerWaitsForTheFirstCommit(as(TransactionStore.class), key("a"), (tx, k) -> {
            tx.lockAdvisory(k + "#lock");
            return tx.read(k).value();
        });
    }
}
