package dev.racelab.store;

import dev.racelab.testing.TestStores;

/** The store contract on mysql. */
class MariaDbStoreTest extends StoreContract {
    @Override
    protected StoreAddress address() {
        return TestStores.mysql();
    }
}
