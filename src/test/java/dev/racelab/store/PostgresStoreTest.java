package dev.racelab.store;

import dev.racelab.testing.TestStores;

/** The store contract on postgres. */
class PostgresStoreTest extends StoreContract {
    @Override
    protected StoreAddress address() {
        return TestStores.postgres();
    }
}
