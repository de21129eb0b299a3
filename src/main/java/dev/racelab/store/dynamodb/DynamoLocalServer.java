package dev.racelab.store.dynamodb;

/** PLACEHOLDER: being written (DynamoDB Local in-process). */
public final class DynamoLocalServer implements AutoCloseable {
    public static DynamoLocalServer start() {
        throw new UnsupportedOperationException("DynamoDB Local is not written yet");
    }

    public String url() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void close() {
    }
}
