package dev.racelab.store;

import dev.racelab.testing.TestStores;

/** The store contract on this machine's Redis (127.0.0.1:6379, or RACELAB_REDIS_URL). */
class RedisStoreTest extends StoreContract {
    @Override
    protected StoreAddress address() {
        return TestStores.redis();
    }
}
