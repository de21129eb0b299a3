package dev.racelab.internal.store.redis;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One socket to Redis speaking RESP, shared by any number of callers and pipelined without a
 * thread of its own. A caller queues its encoded command; whoever holds the write lock writes
 * everything queued in one write. A caller waiting for its answer finds it done, or takes the
 * read lock and reads answers in order (its own and the ones before it, completing each) until
 * its own has come, then passes the reading on to the oldest caller still waiting.
 *
 * <p>So one caller alone writes and then reads, as redis-benchmark does, and no other thread
 * wakes on its behalf; many callers share writes and reads, and a reader wakes the callers
 * whose answers it read. Lettuce instead routes every command through its event loop: two
 * thread hand-offs per command, which at one caller were most of the time (docs/BENCHMARKS.md).
 *
 * <p>Failures keep what is known: a command still queued when the connection breaks was never
 * sent ({@link RedisConnectionException}); one written whose answer did not come may have run
 * (a plain {@link RedisException}, or {@link RedisCommandTimeoutException} when no answer came
 * within the timeout). A broken connection stays broken; the owner opens a new one.
 */
final class RespConnection implements AutoCloseable {
    /** An answer that is RESP's null (a nil bulk string or array). */
    static final Object NIL = new Object() {
        @Override
        public String toString() {
            return "nil";
        }
    };

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final long timeoutSeconds;
    private final ConcurrentLinkedQueue<Call> queued = new ConcurrentLinkedQueue<>();
    /** Written and not yet answered, in the order written: Redis answers in that order. */
    private final ConcurrentLinkedQueue<Call> unanswered = new ConcurrentLinkedQueue<>();
    private final ReentrantLock writing = new ReentrantLock();
    private final ReentrantLock reading = new ReentrantLock();
    private byte[] writeBuffer = new byte[8192]; // under the write lock
    private final byte[] readBuffer = new byte[64 * 1024]; // under the read lock, as are readPos and readLimit
    private int readPos;
    private int readLimit;
    /** When the read now waiting on the socket began; 0 while none waits. */
    private volatile long readingSince;
    /** Set by {@link #expireIfLate} before it closes the socket under a waiting read. */
    private volatile boolean late;
    private volatile String broken;

    /**
     * {@code socket} is connected, with no read timeout of its own: a timed read costs a poll
     * before every read. {@link #expireIfLate} times reads out instead.
     */
    RespConnection(Socket socket, long timeoutSeconds) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.timeoutSeconds = timeoutSeconds;
    }

    /**
     * Breaks the connection when a read has waited longer than the timeout: the commands
     * written on it then fail as maybe run. Called now and then by a watchdog thread.
     */
    void expireIfLate(long nowNanos) {
        long since = readingSince;
        if (since != 0 && nowNanos - since > TimeUnit.SECONDS.toNanos(timeoutSeconds)) {
            late = true;
            closeSocket(); // the waiting read fails, and the reader breaks the connection
        }
    }

    /** One command in flight: its request bytes, the thread waiting, and the answer once it came. */
    private static final class Call {
        private static final VarHandle ANSWER;

        static {
            try {
                ANSWER = MethodHandles.lookup().findVarHandle(Call.class, "answer", Object.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final byte[] request;
        final Thread waiter = Thread.currentThread();
        /** A String, Long, List, {@link #NIL} or a {@link RedisException}; null until answered. */
        volatile Object answer;

        Call(byte[] request) {
            this.request = request;
        }

        /** The first answer wins: a late failure after the answer changes nothing. */
        void complete(Object value) {
            if (ANSWER.compareAndSet(this, null, value) && waiter != Thread.currentThread()) LockSupport.unpark(waiter);
        }
    }

    boolean isBroken() {
        return broken != null;
    }

    /**
     * Sends one command (the words of it, e.g. EVALSHA sha 1 key arg) and waits for its answer:
     * a String, a Long, a List of answers, or {@link #NIL}. An error reply throws
     * {@link RedisNoScriptException} or {@link RedisCommandExecutionException}.
     */
    Object call(String... words) {
        return call(encode(words));
    }

    Object call(byte[] request) {
        String reason = broken;
        if (reason != null) throw notSent(reason);
        Call call = new Call(request);
        queued.add(call);
        if (broken != null) failQueued(); // broken while queueing: the sweep may have run already
        write();
        Object answer = awaitAnswer(call);
        if (answer instanceof RedisException e) throw e;
        return answer;
    }

    // --- writing -----------------------------------------------------------------------------

    /**
     * Writes what is queued, unless another caller holds the write lock: that caller looks at
     * the queue again after it lets go, so a command queued meanwhile is not left behind.
     */
    private void write() {
        while (!queued.isEmpty() && writing.tryLock()) {
            try {
                writeQueued();
            } finally {
                writing.unlock();
            }
        }
    }

    private void writeQueued() {
        List<Call> batch = new ArrayList<>();
        int length = 0;
        Call call;
        while ((call = queued.poll()) != null) {
            if (length + call.request.length > writeBuffer.length) {
                writeBuffer = Arrays.copyOf(writeBuffer, Math.max(writeBuffer.length * 2, length + call.request.length));
            }
            System.arraycopy(call.request, 0, writeBuffer, length, call.request.length);
            length += call.request.length;
            batch.add(call);
        }
        if (batch.isEmpty()) return;
        String reason = broken;
        if (reason != null) { // nothing of this batch was written
            for (Call c : batch) c.complete(notSent(reason));
            return;
        }
        // Waiting for answers before the bytes go out, so a reader never meets an answer it has no call for.
        unanswered.addAll(batch);
        try {
            out.write(writeBuffer, 0, length);
        } catch (IOException e) {
            breakWith("writing to redis failed: " + describe(e), false);
            return;
        }
        // Nobody reading: wake the oldest waiter to read (a reader letting go wakes it otherwise).
        if (!reading.isLocked()) wakeOldestWaiter();
    }

    // --- reading -----------------------------------------------------------------------------

    /** Waits for the answer, reading answers itself while nobody else does. */
    private Object awaitAnswer(Call call) {
        boolean interrupted = false;
        while (call.answer == null) {
            if (reading.tryLock()) {
                try {
                    readUntilAnswered(call);
                } finally {
                    reading.unlock();
                }
                wakeOldestWaiter();
            } else {
                // Not interruptible: the command is on the wire, and its answer comes or the read times out.
                LockSupport.park(this);
                if (Thread.interrupted()) interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        return call.answer;
    }

    private void wakeOldestWaiter() {
        Call oldest = unanswered.peek();
        if (oldest != null && oldest.waiter != Thread.currentThread()) LockSupport.unpark(oldest.waiter);
    }

    /** Reads answers until {@code call} has one, then those already read into the buffer. */
    private void readUntilAnswered(Call call) {
        try {
            while (call.answer == null || readPos < readLimit) {
                if (broken != null) return;
                Object answer = readAnswer();
                Call answered = unanswered.poll();
                if (answered == null) {
                    breakWith("redis answered a command that was not sent", false);
                    return;
                }
                answered.complete(answer);
            }
        } catch (IOException e) {
            if (late) breakWith("no answer from redis in " + timeoutSeconds + " s", true);
            else breakWith("reading from redis failed: " + describe(e), false);
        }
    }

    private Object readAnswer() throws IOException {
        int type = readByte();
        return switch (type) {
            case '+' -> readLine();
            case '-' -> error(readLine());
            case ':' -> Long.parseLong(readLine());
            case '$' -> readBulk(Integer.parseInt(readLine()));
            case '*' -> readArray(Integer.parseInt(readLine()));
            default -> throw new IOException("not a RESP answer: byte " + type);
        };
    }

    private static RedisException error(String message) {
        return message.startsWith("NOSCRIPT") ? new RedisNoScriptException(message) : new RedisCommandExecutionException(message);
    }

    private Object readBulk(int length) throws IOException {
        if (length < 0) return NIL;
        String value;
        if (readLimit - readPos >= length) {
            value = new String(readBuffer, readPos, length, StandardCharsets.UTF_8);
            readPos += length;
        } else {
            byte[] bytes = new byte[length];
            for (int i = 0; i < length; i++) bytes[i] = (byte) readByte();
            value = new String(bytes, StandardCharsets.UTF_8);
        }
        if (readByte() != '\r' || readByte() != '\n') throw new IOException("a bulk string not ended by CRLF");
        return value;
    }

    private Object readArray(int count) throws IOException {
        if (count < 0) return NIL;
        List<Object> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) items.add(readAnswer());
        return items;
    }

    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder(16);
        while (true) {
            int b = readByte();
            if (b == '\r') {
                if (readByte() != '\n') throw new IOException("a line not ended by CRLF");
                return line.toString();
            }
            line.append((char) b);
        }
    }

    private int readByte() throws IOException {
        if (readPos == readLimit) {
            readingSince = System.nanoTime();
            int n;
            try {
                n = in.read(readBuffer, 0, readBuffer.length);
            } finally {
                readingSince = 0;
            }
            if (n < 0) throw new EOFException("redis closed the connection");
            readPos = 0;
            readLimit = n;
        }
        return readBuffer[readPos++] & 0xff;
    }

    // --- failing -----------------------------------------------------------------------------

    /**
     * Marks the connection broken and closes it: what was written unanswered fails as maybe run
     * ({@code timedOut}: because no answer came in time), what was queued fails as never sent.
     */
    private void breakWith(String reason, boolean timedOut) {
        synchronized (this) {
            if (broken == null) broken = reason;
        }
        closeSocket();
        Call call;
        while ((call = unanswered.poll()) != null) {
            call.complete(timedOut ? new RedisCommandTimeoutException(reason)
                    : new RedisException(reason + " (the command was sent; it may have run)"));
        }
        failQueued();
    }

    private void failQueued() {
        Call call;
        String reason = broken;
        while ((call = queued.poll()) != null) call.complete(notSent(reason));
    }

    private static RedisConnectionException notSent(String reason) {
        return new RedisConnectionException(reason + " (the command was not sent)");
    }

    private static String describe(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private void closeSocket() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing a broken socket: nothing left to do
        }
    }

    /** Closes the socket; waiting callers fail as a broken connection fails them. */
    @Override
    public void close() {
        breakWith("the store was closed", false);
    }

    // --- encoding ----------------------------------------------------------------------------

    /** A RESP array of bulk strings: the form every Redis command takes. */
    static byte[] encode(String... words) {
        byte[][] encoded = new byte[words.length][];
        int length = 1 + digits(words.length) + 2;
        for (int i = 0; i < words.length; i++) {
            encoded[i] = words[i].getBytes(StandardCharsets.UTF_8);
            length += 1 + digits(encoded[i].length) + 2 + encoded[i].length + 2;
        }
        byte[] request = new byte[length];
        int at = header(request, 0, '*', words.length);
        for (byte[] word : encoded) {
            at = header(request, at, '$', word.length);
            System.arraycopy(word, 0, request, at, word.length);
            at += word.length;
            request[at++] = '\r';
            request[at++] = '\n';
        }
        return request;
    }

    private static int header(byte[] into, int at, char type, int n) {
        into[at++] = (byte) type;
        int end = at + digits(n);
        for (int i = end - 1; i >= at; i--) {
            into[i] = (byte) ('0' + n % 10);
            n /= 10;
        }
        into[end] = '\r';
        into[end + 1] = '\n';
        return end + 2;
    }

    private static int digits(int n) {
        int d = 1;
        while (n >= 10) {
            n /= 10;
            d++;
        }
        return d;
    }
}
