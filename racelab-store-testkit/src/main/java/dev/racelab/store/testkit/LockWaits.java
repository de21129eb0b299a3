package dev.racelab.store.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racelab.core.Outcome;
import dev.racelab.store.Isolation;
import dev.racelab.store.TransactionStore;
import dev.racelab.store.Tx;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/** The check the row-lock and advisory-lock contracts share. */
final class LockWaits {
    private static final long WAIT_SEEN_WITHIN_NANOS = TimeUnit.SECONDS.toNanos(30);

    private LockWaits() {
    }

    /**
     * Two transactions run {@code lockAndRead} on one cell. The first holds its lock until the
     * server's own lock-wait view (pg_blocking_pids, InnoDB's LOCK WAIT) shows the second's
     * session waiting for a lock, and only then writes value+1 and commits: the second must
     * then read 1. A second locker that does not wait fails here, however late it comes.
     */
    static void assertTheSecondLockerWaitsForTheFirstCommit(TransactionStore store, LockWaitView view, String key,
                                                            BiFunction<Tx, String, Long> lockAndRead) throws Exception {
        CountDownLatch firstHoldsLock = new CountDownLatch(1);
        CountDownLatch secondSeenWaiting = new CountDownLatch(1);
        CompletableFuture<Long> firstSession = new CompletableFuture<>();
        CompletableFuture<Long> secondSession = new CompletableFuture<>();
        CompletableFuture<Long> secondSaw = new CompletableFuture<>();
        CompletableFuture<Outcome> first = RoleContract.async(() -> store.inTransaction(Isolation.DEFAULT, tx -> {
            firstSession.complete(view.sessionId(tx));
            long value = lockAndRead.apply(tx, key);
            firstHoldsLock.countDown();
            RoleContract.await(secondSeenWaiting);
            tx.write(key, value + 1);
            return Outcome.ok();
        }));
        RoleContract.await(firstHoldsLock);
        CompletableFuture<Outcome> second = RoleContract.async(() -> store.inTransaction(Isolation.DEFAULT, tx -> {
            secondSession.complete(view.sessionId(tx));
            secondSaw.complete(lockAndRead.apply(tx, key));
            return Outcome.ok();
        }));
        try {
            List<Long> blockers = awaitWaiting(store, view, secondSession.get(30, TimeUnit.SECONDS), second, secondSaw);
            // PostgreSQL names the holder; InnoDB's status does not, so an empty list names no one.
            if (!blockers.isEmpty()) assertThat(blockers).as("the second waits for the first").contains(firstSession.get());
        } finally {
            secondSeenWaiting.countDown();
        }
        assertThat(first.get(60, TimeUnit.SECONDS).isOk()).isTrue();
        assertThat(second.get(60, TimeUnit.SECONDS).isOk()).isTrue();
        assertThat(secondSaw.get()).as("the second locker read after the first committed").isEqualTo(1);
    }

    /** Polls the server's lock-wait view, from a third session, until it shows {@code session} waiting. */
    private static List<Long> awaitWaiting(TransactionStore store, LockWaitView view, long session, CompletableFuture<Outcome> second,
                                           CompletableFuture<Long> secondSaw) throws Exception {
        CompletableFuture<List<Long>> seen = new CompletableFuture<>();
        store.inTransaction(Isolation.DEFAULT, monitor -> {
            long deadline = System.nanoTime() + WAIT_SEEN_WITHIN_NANOS;
            while (System.nanoTime() < deadline) {
                Optional<List<Long>> blockers = view.blockers(monitor, session);
                if (blockers.isPresent()) {
                    seen.complete(blockers.get());
                    return Outcome.ok();
                }
                if (second.isDone()) {
                    throw new AssertionError("the second locker went through while the first held its lock, and read "
                            + secondSaw.getNow(null) + "; the server never saw it wait");
                }
                Thread.onSpinWait();
            }
            throw new AssertionError("the server did not show the second locker waiting within 30 s");
        });
        return seen.get();
    }
}
