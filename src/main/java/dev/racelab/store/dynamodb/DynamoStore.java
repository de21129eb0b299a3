package dev.racelab.store.dynamodb;

import dev.racelab.store.StoreAddress;
import dev.racelab.store.Store;

/** PLACEHOLDER: being written (DynamoDB store on AWS SDK v2). */
public final class DynamoStore {
    public static final String REGION_OPTION = "region";
    public static final String LOCAL_OPTION = "local";

    private DynamoStore() {
    }

    public static Store open(StoreAddress address, int poolSize) {
        throw new UnsupportedOperationException("the DynamoDB store is not written yet");
    }
}
