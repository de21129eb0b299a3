package dev.racelab.store.redis;

/** PLACEHOLDER: being written (embedded Redis from a Maven artifact). */
public final class EmbeddedRedisServer implements AutoCloseable {
    public static EmbeddedRedisServer start() {
        throw new UnsupportedOperationException("embedded Redis is not written yet");
    }

    public String url() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void close() {
    }
}
