package dev.racelab.internal.store.redis;

import dev.racelab.core.StoreException;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Connections lent out one caller at a time, for WATCH/MULTI/EXEC: WATCH and MULTI are
 * state of the connection, so they cannot go over the connection every other caller
 * shares. Connections are opened when first needed, at most {@code size} of them; a caller
 * finding all of them lent out waits its turn (a virtual thread waiting here pins nothing).
 */
final class WatchConnections implements AutoCloseable {
    private final Supplier<StatefulRedisConnection<String, String>> connector;
    private final Semaphore lendable;
    private final Queue<StatefulRedisConnection<String, String>> idle = new ConcurrentLinkedQueue<>();
    private final Duration maxWait;
    private volatile boolean closed;

    WatchConnections(int size, Duration maxWait, Supplier<StatefulRedisConnection<String, String>> connector) {
        this.lendable = new Semaphore(size);
        this.maxWait = maxWait;
        this.connector = connector;
    }

    /** An idle connection, or a new one while fewer than {@code size} exist. */
    StatefulRedisConnection<String, String> borrow(String operation) {
        try {
            if (!lendable.tryAcquire(maxWait.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new StoreException(operation + ": no connection for WATCH came free in " + maxWait.toSeconds() + " s",
                        null, false);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(operation + ": interrupted while waiting for a connection", e, false);
        }
        try {
            StatefulRedisConnection<String, String> c;
            while ((c = idle.poll()) != null) {
                if (c.isOpen()) return c;
                c.closeAsync();
            }
            return connector.get();
        } catch (RuntimeException e) {
            lendable.release();
            throw e;
        }
    }

    /**
     * Takes a connection back. {@code clean} says it holds no WATCH or MULTI any more; one that
     * broke or failed mid-transaction is closed instead, since its state is unknown.
     */
    void giveBack(StatefulRedisConnection<String, String> c, boolean clean) {
        if (clean && c.isOpen() && !closed) {
            idle.add(c);
        } else {
            c.closeAsync();
        }
        lendable.release();
        if (closed) closeIdle(); // close() may have run while this one was lent out
    }

    @Override
    public void close() {
        closed = true;
        closeIdle();
    }

    private void closeIdle() {
        StatefulRedisConnection<String, String> c;
        while ((c = idle.poll()) != null) c.close();
    }
}
