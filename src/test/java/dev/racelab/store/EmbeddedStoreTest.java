package dev.racelab.store;

import dev.racelab.testing.TestStores;

/** The store contract on embedded. */
class EmbeddedStoreTest extends StoreContract {
    @Override
    protected StoreAddress address() {
        return TestStores.embedded();
    }
}
