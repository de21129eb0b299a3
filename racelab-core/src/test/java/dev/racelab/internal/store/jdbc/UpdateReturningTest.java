package dev.racelab.internal.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racelab.core.Cell;
import dev.racelab.core.Change;
import dev.racelab.core.Operation;
import dev.racelab.store.Layout;
import dev.racelab.store.CellStore;
import dev.racelab.testing.TestStores;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * On PostgreSQL, addAndGet answers from the UPDATE itself, so each concurrent add gets the
 * value it made and no other: the answers are exactly 1..N, each once. (A read after the add
 * could answer a value that already holds a later writer's add, twice.)
 */
class UpdateReturningTest {
    private static final int THREADS = 8;
    private static final int ADDS = 50;

    @Test
    void concurrentAddsEachAnswerTheValueTheyMade() throws Exception {
        String key = TestStores.uniquePrefix() + "returning";
        ConcurrentLinkedQueue<Cell> answers = new ConcurrentLinkedQueue<>();
        try (CellStore store = TestStores.open(TestStores.postgres(), Layout.KEYED, THREADS).as(CellStore.class)) {
            store.createCells(List.of(new Cell(key, 0, 0)));
            CyclicBarrier start = new CyclicBarrier(THREADS);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        start.await();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    for (int i = 0; i < ADDS; i++) {
                        answers.add(store.addAndGet(new Change(key, 1), Operation.NO_FLOOR).orElseThrow());
                    }
                }));
            }
            for (Thread t : threads) t.join();
            assertThat(store.read(key)).isEqualTo(new Cell(key, THREADS * ADDS, THREADS * ADDS));
            store.deleteCells(List.of(key));
        }
        assertThat(answers).allSatisfy(after -> assertThat(after.version()).isEqualTo(after.value()));
        assertThat(answers).extracting(Cell::value)
                .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, THREADS * ADDS).boxed().toList());
    }
}
