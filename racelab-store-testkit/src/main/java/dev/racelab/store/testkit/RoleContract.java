package dev.racelab.store.testkit;

import dev.racelab.core.Cell;
import dev.racelab.store.CellStore;
import dev.racelab.store.Store;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;

/**
 * What every role contract shares: the store under test, opened fresh for each test, and a
 * key prefix no other test or earlier run uses, so rows left behind never matter. A store's
 * test of one role extends that role's contract and says how to open the store.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class RoleContract {
    protected Store store;
    protected String prefix;

    /**
     * Opens the store under test: a new connection that serves at least 4 threads at once, its
     * cells under unique keys (Layout.KEYED). Each test opens its own; the contract closes it.
     */
    protected abstract Store openStore();

    @BeforeEach
    void open() {
        store = openStore();
        prefix = freshPrefix();
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** A key prefix no other test or earlier run uses. */
    protected static String freshPrefix() {
        return "test-" + UUID.randomUUID() + "/";
    }

    protected String key(String name) {
        return prefix + name;
    }

    protected <R> R as(Class<R> role) {
        return store.as(role);
    }

    /** A cell under this test's prefix; every store with a role beyond leases has cells. */
    protected Cell create(String name, long value) {
        Cell cell = new Cell(key(name), value, 0);
        as(CellStore.class).createCells(List.of(cell));
        return cell;
    }

    /** Each side of a forced interleaving gets its own thread; a shared pool may have only one. */
    static <T> CompletableFuture<T> async(Supplier<T> body) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                result.complete(body.get());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) throw new AssertionError("latch not released in 30 s");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    static void await(CyclicBarrier barrier) {
        try {
            barrier.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
            throw new AssertionError("barrier not reached: " + e, e);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
