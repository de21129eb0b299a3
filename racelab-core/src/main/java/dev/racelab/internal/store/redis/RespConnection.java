package dev.racelab.internal.store.redis;

import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One socket to one Redis server, speaking RESP2, shared by any number of callers and
 * pipelined. Lettuce routes every command through its netty event loop, a thread hand-off and
 * several objects per command; here a caller's command costs one object and, at most, the
 * wake-up of the one waiting caller.
 *
 * <p>Writing: a caller queues its command, and whoever finds the write lock free writes
 * everything queued, encoded into one buffer, in one write; a caller that finds it taken
 * leaves its command to the writer, who looks at the queue again after letting go. Reading:
 * one reader thread parses the answers as they come and completes the callers in the order
 * written, which is the order Redis answers in.
 *
 * <p>At most once. Nothing is ever sent twice, and a broken connection stays broken: the owner
 * opens a new one ({@link RespScriptCalls}). When it breaks, a command written and not answered
 * may have run: it fails with a plain {@link RedisException}, or {@link RedisCommandTimeoutException}
 * when no answer came within the timeout; one still queued was never sent and fails with
 * {@link RedisConnectionException}. The timeout is checked every {@link #CHECK_EVERY} by a
 * virtual thread: the oldest unanswered command is the only one that can be late. A late
 * answer breaks the connection, so what was written after it fails too (as maybe run), and the
 * next call starts on a fresh connection.
 *
 * <p>The socket is a socket channel's, with no read timeout: a plain socket with a timeout (or
 * after a timed connect) is non-blocking underneath, and each answer waited for costs a read,
 * a poll and a second read. A caller on a virtual thread still turns the channel non-blocking
 * when it writes (the JDK parks virtual threads that way), so with two callers or more the
 * reader waits in a poll after all; a lone caller runs on a platform thread ({@code LoadLoop})
 * and keeps the read blocking (docs/BENCHMARKS.md, Redis Lua at one caller).
 */
final class RespConnection implements AutoCloseable {
    /** How often the oldest unanswered command is checked against the timeout. */
    static final Duration CHECK_EVERY = Duration.ofSeconds(1);
    /** As Lettuce's default connect timeout. */
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    private final Socket socket;
    private final OutputStream out;
    private final long timeoutNanos;
    private final ConcurrentLinkedQueue<RespCall> queued = new ConcurrentLinkedQueue<>();
    /** Written and not yet answered, in the order written. */
    private final ConcurrentLinkedQueue<RespCall> unanswered = new ConcurrentLinkedQueue<>();
    private final ReentrantLock writing = new ReentrantLock(); // not synchronized: a virtual thread writes under it
    private final RespWriter writer = new RespWriter(); // under the write lock
    private final List<RespCall> batch = new ArrayList<>(); // under the write lock
    private final AtomicReference<Broken> broken = new AtomicReference<>();
    private final Thread reader;
    private final Thread watch;

    /** Why the connection broke, and what its calls fail with. */
    private record Broken(RedisException written, RedisConnectionException notSent) {
    }

    private RespConnection(Socket socket, Duration timeout, String threadName) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.timeoutNanos = timeout.toNanos();
        RespReader replies = new RespReader(socket.getInputStream());
        this.reader = Thread.ofPlatform().daemon().name(threadName).start(() -> readLoop(replies));
        this.watch = Thread.ofVirtual().name(threadName + "-timeout").start(this::watchForLateAnswers);
    }

    /**
     * Connects and logs in as {@code endpoint} says. Any failure here is a {@link RedisConnectionException}:
     * no command of the caller's was sent.
     */
    static RespConnection open(RespEndpoint endpoint, Duration timeout, String threadName) {
        Socket socket = null;
        RespConnection connection;
        try {
            socket = SocketChannel.open().socket(); // blocking again after the timed connect: see the class comment
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), CONNECT_TIMEOUT_MILLIS);
            connection = new RespConnection(socket, timeout, threadName);
        } catch (IOException e) {
            if (socket != null) closeQuietly(socket);
            throw new RedisConnectionException("cannot connect to redis at " + endpoint + ": " + describe(e), e);
        }
        try {
            for (RespCall call : endpoint.login()) connection.call(call);
        } catch (RedisException e) {
            connection.close();
            throw new RedisConnectionException("redis at " + endpoint + " refused the login: " + e.getMessage(), e);
        }
        return connection;
    }

    boolean isBroken() {
        return broken.get() != null;
    }

    /** Sends the command and waits for its answer ({@link RespCall#await}). */
    Object call(RespCall call) {
        send(call);
        return call.await();
    }

    /** Queues the command and writes what is queued, unless another caller is writing. */
    void send(RespCall call) {
        Broken b = broken.get();
        if (b != null) throw b.notSent();
        queued.add(call);
        if (broken.get() != null) failQueued(); // broken while queueing: the sweep may have run already
        while (!queued.isEmpty() && writing.tryLock()) {
            try {
                writeQueued();
            } finally {
                writing.unlock();
            }
        }
    }

    private void writeQueued() {
        long now = System.nanoTime();
        RespCall call;
        while ((call = queued.poll()) != null) {
            call.writtenNanos = now;
            call.encode(writer);
            batch.add(call);
        }
        if (batch.isEmpty()) return;
        try {
            Broken b = broken.get();
            if (b != null) { // none of these was written
                writer.clear();
                for (RespCall c : batch) c.complete(b.notSent());
                return;
            }
            // Unanswered before the bytes go out, so the reader never meets an answer it has no call for.
            unanswered.addAll(batch);
            try {
                writer.writeTo(out);
            } catch (IOException e) {
                breakWith("writing to redis failed: " + describe(e), null);
            }
        } finally {
            batch.clear();
        }
    }

    private void readLoop(RespReader replies) {
        try {
            while (true) {
                Object reply = replies.read();
                RespCall call = unanswered.poll();
                if (call == null) {
                    breakWith("redis answered a command that was not sent", null);
                    return;
                }
                call.complete(reply);
            }
        } catch (IOException | RuntimeException | Error e) {
            breakWith(e instanceof IOException io ? "reading from redis failed: " + describe(io) : e.toString(), null);
        }
    }

    /** Every {@link #CHECK_EVERY} until the connection breaks: breaks it when the oldest unanswered command is late. */
    private void watchForLateAnswers() {
        try {
            while (!isBroken()) {
                Thread.sleep(CHECK_EVERY);
                RespCall oldest = unanswered.peek();
                if (oldest != null && System.nanoTime() - oldest.writtenNanos >= timeoutNanos) {
                    String late = "no answer from redis in " + TimeUnit.NANOSECONDS.toSeconds(timeoutNanos) + " s";
                    breakWith(late, new RedisCommandTimeoutException(late));
                }
            }
        } catch (InterruptedException closed) {
            // close() ends the watch
        }
    }

    /**
     * Breaks the connection for good (the first reason wins) and fails every call on it: what
     * was written as maybe run ({@code written}, or a plain {@link RedisException} when null),
     * what was queued as never sent. Called again after a break, it fails what came since.
     */
    private void breakWith(String reason, RedisException written) {
        broken.compareAndSet(null, new Broken(
                written != null ? written : new RedisException(reason + " (the command was sent; it may have run)"),
                new RedisConnectionException(reason + " (the command was not sent)")));
        closeQuietly(socket); // a writer blocked on a full socket, and the reader, stop here
        Broken b = broken.get();
        RespCall call;
        while ((call = unanswered.poll()) != null) call.complete(b.written());
        failQueued();
    }

    private void failQueued() {
        Broken b = broken.get();
        RespCall call;
        while ((call = queued.poll()) != null) call.complete(b.notSent());
    }

    /** Fails every call still waiting and stops the reader. */
    @Override
    public void close() {
        breakWith("the store was closed", null);
        watch.interrupt();
        if (Thread.currentThread() == reader) return;
        try {
            reader.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String describe(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing a broken socket: nothing more to do
        }
    }
}
