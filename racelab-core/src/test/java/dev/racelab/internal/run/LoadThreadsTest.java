package dev.racelab.internal.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which kind of thread a load runs on: the choice {@link LoadLoop#threadBuilder} makes. */
class LoadThreadsTest {

    @Test
    void eachCallerWithAConnectionOfItsOwnGetsAPlatformThreadUpToTheLimit() throws Exception {
        assertThat(isVirtual(1, false)).isFalse();
        assertThat(isVirtual(LoadLoop.PLATFORM_THREAD_LIMIT, false)).isFalse();
        assertThat(isVirtual(LoadLoop.PLATFORM_THREAD_LIMIT + 1, false)).isTrue();
    }

    @Test
    void callersSharingAConnectionGetVirtualThreadsFromTwoOn() throws Exception {
        assertThat(isVirtual(1, true)).as("a lone caller on a shared connection").isFalse();
        assertThat(isVirtual(2, true)).isTrue();
        assertThat(isVirtual(64, true)).isTrue();
    }

    private static boolean isVirtual(int threads, boolean multiplexedStore) throws InterruptedException {
        boolean[] virtual = new boolean[1];
        Thread t = LoadLoop.threadBuilder(threads, multiplexedStore).start(() -> virtual[0] = Thread.currentThread().isVirtual());
        t.join();
        return virtual[0];
    }
}
