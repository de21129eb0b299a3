package dev.racelab.store;

import dev.racelab.testing.TestStores;

/** The store contract on DynamoDB Local, started in this JVM. */
class DynamoStoreTest extends StoreContract {
    @Override
    protected StoreAddress address() {
        return TestStores.dynamodb();
    }
}
