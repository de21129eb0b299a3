package dev.racelab.internal.traits;

/**
 * A store whose concurrent callers share pipelined connections instead of each holding one
 * (Redis beyond a few callers). A waiting caller then holds no connection, so the load runs on
 * virtual threads, whose wake-up costs no OS thread switch; a store with one blocking connection
 * per caller is served better by platform threads.
 */
public interface Multiplexed {
    /** Whether this store, as opened, shares its connections among its callers. */
    default boolean multiplexed() {
        return true;
    }

    static boolean is(Object store) {
        return store instanceof Multiplexed m && m.multiplexed();
    }
}
