package dev.racelab.internal.traits;

/**
 * A store whose concurrent callers share pipelined connections instead of each holding one
 * (Redis). A waiting caller then holds no connection, so the load runs on virtual threads,
 * whose wake-up costs no OS thread switch; a store with one blocking connection per caller is
 * served better by platform threads.
 */
public interface Multiplexed {
    static boolean is(Object store) {
        return store instanceof Multiplexed;
    }
}
