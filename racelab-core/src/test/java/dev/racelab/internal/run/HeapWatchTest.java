package dev.racelab.internal.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HeapWatchTest {
    private static final int MB = 1024 * 1024;

    @Test
    void whatSurvivesACollectionCounts() throws Exception {
        try (HeapWatch watch = HeapWatch.start()) {
            byte[] held = new byte[64 * MB];
            collect(watch);
            assertThat(held[held.length - 1]).isZero(); // still reachable at the collection above
            assertThat(watch.liveBytes()).isGreaterThanOrEqualTo(held.length)
                    .isLessThanOrEqualTo(Runtime.getRuntime().totalMemory());
        }
    }

    /**
     * 320 MB of short-lived garbage, in pieces small enough to be born in the young generation,
     * passes through the heap; young collections reclaim it, so the live figure does not take
     * it in. (Garbage already in the old generation would count until a full collection.)
     */
    @Test
    void garbageThatDiesYoungDoesNotCount() throws Exception {
        try (HeapWatch watch = HeapWatch.start()) {
            collect(watch);
            long before = watch.liveBytes();
            long sum = 0;
            for (int i = 0; i < 5 * 1024; i++) {
                byte[] garbage = new byte[64 * 1024];
                garbage[i % garbage.length] = 1;
                sum += garbage[i % garbage.length];
            }
            collect(watch);
            assertThat(sum).isEqualTo(5 * 1024);
            assertThat(watch.liveBytes()).isLessThan(before + 64L * MB);
        }
    }

    /** A full collection, and its notification seen by the watch. */
    private static void collect(HeapWatch watch) throws InterruptedException {
        long seen = watch.collections();
        long deadline = System.nanoTime() + 10_000_000_000L;
        System.gc();
        while (watch.collections() == seen && System.nanoTime() < deadline) Thread.sleep(10);
        assertThat(watch.collections()).as("a collection notified within 10 s").isGreaterThan(seen);
    }
}
