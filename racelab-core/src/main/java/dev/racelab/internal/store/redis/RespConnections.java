package dev.racelab.internal.store.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLSocketFactory;

/**
 * The connections the hot path (every script call) goes over: {@link RespConnection}s, opened
 * when first used and again after one broke. With few callers each calling thread gets a
 * connection of its own and waits on its socket, as redis-benchmark's clients do; with many,
 * they share one connection, pipelined (see {@link RedisStore#DEDICATED_UP_TO}).
 */
final class RespConnections implements AutoCloseable {
    private static final long CHECK_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);
    private final RedisURI uri;
    private final Duration timeout;
    private final AtomicReferenceArray<RespConnection> slots;
    private final AtomicInteger nextSlot = new AtomicInteger();
    private final ThreadLocal<Integer> slotOfThread;
    private final ReentrantLock opening = new ReentrantLock(); // not synchronized: a virtual thread waits here on a connect
    private final Thread watchdog;
    /** A connection being logged in (AUTH, SELECT), watched like the others before it is used. */
    private volatile RespConnection loggingIn;
    private volatile boolean closed;

    RespConnections(RedisURI uri, int count, Duration timeout) {
        this.uri = uri;
        this.timeout = timeout;
        this.slots = new AtomicReferenceArray<>(count);
        // Threads take slots in turn, so the first `count` threads each have a connection to themselves.
        this.slotOfThread = ThreadLocal.withInitial(() -> Math.floorMod(nextSlot.getAndIncrement(), count));
        this.watchdog = Thread.ofPlatform().daemon().name("racelab-redis-timeouts").start(this::expireLateReads);
    }

    /** About once a second, breaks each connection whose read has waited longer than the timeout. */
    private void expireLateReads() {
        while (!closed) {
            LockSupport.parkNanos(this, CHECK_EVERY_NANOS);
            long now = System.nanoTime();
            for (int i = 0; i < slots.length(); i++) {
                RespConnection c = slots.get(i);
                if (c != null) c.expireIfLate(now);
            }
            RespConnection c = loggingIn;
            if (c != null) c.expireIfLate(now);
        }
    }

    /** Sends one encoded command on this thread's connection and answers Redis's reply ({@link RespConnection#call}). */
    Object call(byte[] request) {
        return connection().call(request);
    }

    /** This thread's connection; a new one when the last broke. */
    private RespConnection connection() {
        int slot = slots.length() == 1 ? 0 : slotOfThread.get();
        RespConnection c = slots.get(slot);
        if (c != null && !c.isBroken()) return c;
        opening.lock();
        try {
            if (closed) throw new RedisConnectionException("the store is closed");
            c = slots.get(slot);
            if (c != null && !c.isBroken()) return c;
            RespConnection fresh = open(); // when this fails, the next call tries again
            slots.set(slot, fresh);
            return fresh;
        } finally {
            opening.unlock();
        }
    }

    /** Connects, then AUTH and SELECT as the URL says; a failure here is a command never sent. */
    private RespConnection open() {
        SocketAddress address = address();
        Socket socket = null;
        try {
            // A channel's socket, not new Socket(): a connect with a timeout leaves a plain Socket
            // non-blocking for good, so that every read polls first; a channel goes back to blocking.
            socket = SocketChannel.open().socket();
            socket.setTcpNoDelay(true);
            socket.connect(address, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            if (uri.isSsl()) {
                InetSocketAddress at = (InetSocketAddress) address;
                socket = ((SSLSocketFactory) SSLSocketFactory.getDefault()).createSocket(socket, at.getHostString(), at.getPort(), true);
            }
            RespConnection c = new RespConnection(socket, timeout.toSeconds());
            loggingIn = c;
            try {
                RedisCredentials login = uri.getCredentialsProvider().resolveCredentials().block();
                if (login != null && login.hasPassword()) {
                    String password = new String(login.getPassword());
                    if (login.hasUsername()) c.call("AUTH", login.getUsername(), password);
                    else c.call("AUTH", password);
                }
                if (uri.getDatabase() != 0) c.call("SELECT", Integer.toString(uri.getDatabase()));
            } catch (RedisException e) {
                c.close();
                throw new RedisConnectionException("redis refused the connection: " + e.getMessage(), e);
            } finally {
                loggingIn = null;
            }
            return c;
        } catch (IOException e) {
            try {
                if (socket != null) socket.close();
            } catch (IOException ignored) {
                // the connection failed already
            }
            throw new RedisConnectionException("cannot connect to redis at " + address + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
    }

    /** The server's address: the URL's host and port, or the master the URL's sentinels name now. */
    private SocketAddress address() {
        if (uri.getSocket() != null) {
            throw new RedisConnectionException("racelab's redis store connects over TCP, not the unix socket " + uri.getSocket());
        }
        if (uri.getSentinels().isEmpty()) return new InetSocketAddress(uri.getHost(), uri.getPort());
        RedisClient sentinels = RedisClient.create();
        try (StatefulRedisSentinelConnection<String, String> sentinel = sentinels.connectSentinel(uri)) {
            SocketAddress master = sentinel.sync().getMasterAddrByName(uri.getSentinelMasterId());
            if (master == null) throw new RedisConnectionException("the sentinels know no master '" + uri.getSentinelMasterId() + "'");
            return master;
        } finally {
            sentinels.shutdown();
        }
    }

    /** Closes every connection: callers waiting fail as a broken connection fails them. */
    @Override
    public void close() {
        opening.lock();
        try {
            closed = true;
        } finally {
            opening.unlock();
        }
        LockSupport.unpark(watchdog);
        for (int i = 0; i < slots.length(); i++) {
            RespConnection c = slots.getAndSet(i, null);
            if (c != null) c.close();
        }
    }
}
