package dev.racelab.store.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racelab.core.Outcome;
import dev.racelab.store.Isolation;
import dev.racelab.store.TransactionStore;
import dev.racelab.store.Tx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/** The check the row-lock and advisory-lock contracts share. */
final class LockWaits {
    private LockWaits() {
    }

    /**
     * Two transactions run {@code lockAndRead} on one cell. The first holds its lock while the
     * second starts, waits 300 ms, then writes value+1 and commits. Had the lock not held the
     * second back, it would have read the old value.
     */
    static void assertTheSecondLockerWaitsForTheFirstCommit(TransactionStore store, String key,
                                                            BiFunction<Tx, String, Long> lockAndRead) throws Exception {
        CountDownLatch firstHoldsLock = new CountDownLatch(1);
        CountDownLatch secondIsAboutToLock = new CountDownLatch(1);
        CompletableFuture<Long> secondSaw = new CompletableFuture<>();
        CompletableFuture<Outcome> first = RoleContract.async(() -> store.inTransaction(Isolation.DEFAULT, tx -> {
            long value = lockAndRead.apply(tx, key);
            firstHoldsLock.countDown();
            RoleContract.await(secondIsAboutToLock);
            RoleContract.sleep(300);
            tx.write(key, value + 1);
            return Outcome.ok();
        }));
        RoleContract.await(firstHoldsLock);
        store.inTransaction(Isolation.DEFAULT, tx -> {
            secondIsAboutToLock.countDown();
            secondSaw.complete(lockAndRead.apply(tx, key));
            return Outcome.ok();
        });
        assertThat(first.get(60, TimeUnit.SECONDS).isOk()).isTrue();
        assertThat(secondSaw.get()).as("the second locker read after the first committed").isEqualTo(1);
    }
}
