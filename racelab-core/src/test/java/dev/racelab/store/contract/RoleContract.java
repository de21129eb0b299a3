package dev.racelab.store.contract;

import dev.racelab.core.Cell;
import dev.racelab.store.CellStore;
import dev.racelab.store.Layout;
import dev.racelab.store.Store;
import dev.racelab.testing.TestStores;
import java.util.List;
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
 * key prefix no other test or earlier run uses, so rows left behind never matter.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
abstract class RoleContract {
    private final String storeName;
    protected Store store;
    protected String prefix;

    RoleContract(String storeName) {
        this.storeName = storeName;
    }

    @BeforeEach
    void open() {
        store = TestStores.open(TestStores.byName(storeName), Layout.KEYED, 4);
        prefix = TestStores.uniquePrefix();
    }

    @AfterEach
    void close() {
        store.close();
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
