package dev.racelab.internal.store.redis;

import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Script calls over racelab's own RESP client ({@link RespConnection}) to one plain server:
 * every caller shares one connection, pipelined. A broken connection is never repaired or
 * replayed; the next call opens a new one, as {@link RedisStore}'s Lettuce connection does.
 */
final class RespScriptCalls implements ScriptCalls {
    private final RespEndpoint endpoint;
    private final Duration timeout;
    private final String threadName;
    private final ReentrantLock opening = new ReentrantLock(); // not synchronized: a virtual thread waits here on a connect
    private volatile RespConnection current;
    private volatile boolean closed;

    /** Connects at once, so a server that refuses this client fails the store's open, not its first operation. */
    RespScriptCalls(RespEndpoint endpoint, Duration timeout, String storeName) {
        this.endpoint = endpoint;
        this.timeout = timeout;
        this.threadName = "racelab-redis-read-" + storeName;
        this.current = RespConnection.open(endpoint, timeout, threadName);
    }

    @Override
    public <T> T evalsha(String sha, Class<T> type, String[] keys, String[] args) {
        Object answer = connection().call(new RespCall.EvalSha(sha, keys, args));
        if (answer == null || type.isInstance(answer)) return type.cast(answer);
        // The script ran, or may have: not a refusal.
        throw new RedisException("EVALSHA answered " + answer.getClass().getSimpleName() + " " + answer + ", not a " + type.getSimpleName());
    }

    @Override
    public void scriptLoad(String text) {
        connection().call(new RespCall.Words("SCRIPT", "LOAD", text));
    }

    /** The connection to send on; a new one when the last broke. */
    RespConnection connection() {
        RespConnection c = current;
        if (!c.isBroken()) return c;
        opening.lock();
        try {
            if (closed) throw new RedisConnectionException("the store is closed");
            if (current.isBroken()) current = RespConnection.open(endpoint, timeout, threadName); // fails as not sent; the next call tries again
            return current;
        } finally {
            opening.unlock();
        }
    }

    /** Fails what waits on the connection and stops its reader; calls after this fail as not sent. */
    @Override
    public void close() {
        opening.lock();
        try {
            closed = true;
        } finally {
            opening.unlock();
        }
        current.close();
    }
}
