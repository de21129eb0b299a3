package dev.racelab.store.redis;

import dev.racelab.store.StoreAddress;
import dev.racelab.store.Store;

/** PLACEHOLDER: being written (Redis store on Lettuce). */
public final class RedisStore {
    private RedisStore() {
    }

    public static Store open(StoreAddress address, int poolSize) {
        throw new UnsupportedOperationException("the Redis store is not written yet");
    }
}
