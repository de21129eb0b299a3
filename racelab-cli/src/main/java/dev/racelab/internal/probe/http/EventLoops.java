package dev.racelab.internal.probe.http;

import dev.racelab.core.Clock;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;

/**
 * The load of plain-HTTP requests on a few event loops instead of a thread a connection, as
 * wrk runs it: each loop owns its share of the connections on one selector, writes a
 * connection's next request when its answer is in, and parses answers as bytes arrive, with
 * the one parser the blocking transport uses ({@link AnswerReader}). A virtual thread a
 * connection costs a park, a poller hand-off and an unpark every request; on two cores shared
 * with the server under test that was five times wrk's CPU a request (docs/BENCHMARKS.md).
 *
 * <p>What a request gets is what the blocking transport gives it: one attempt, never sent
 * twice; no answer within the timeout of silence, a refused connect or a broken connection is
 * {@link Tally#noAnswer}, and the connection's next request opens a new one; an answer that
 * says {@code Connection: close} closes it after that answer.
 */
final class EventLoops {
    private final Clock clock;
    private final long timeoutNanos;

    EventLoops(Clock clock, long timeoutNanos) {
        this.clock = clock;
        this.timeoutNanos = timeoutNanos;
    }

    /** One loop: runs its connections' requests until none is left, or its thread is interrupted. */
    final class Loop implements Runnable {
        private final Selector selector;
        private final List<Conn> conns = new ArrayList<>();
        private final Tally tally;
        private final int requests;
        private final AtomicInteger next;
        private final LongAdder done;
        private final IntFunction<Firing.Planned> plan;
        private final CountDownLatch go;
        private final ByteArrayOutputStream scratch = new ByteArrayOutputStream(512);
        private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(16 * 1024);
        private int open;

        Loop(int connections, Tally tally, int requests, AtomicInteger next, LongAdder done,
                IntFunction<Firing.Planned> plan, CountDownLatch go) throws IOException {
            this.selector = Selector.open();
            this.tally = tally;
            this.requests = requests;
            this.next = next;
            this.done = done;
            this.plan = plan;
            this.go = go;
            for (int i = 0; i < connections; i++) conns.add(new Conn());
        }

        Tally tally() {
            return tally;
        }

        @Override
        public void run() {
            try {
                go.await();
                open = conns.size();
                for (Conn c : conns) startNext(c);
                long waitMillis = expire();
                while (open > 0) {
                    selector.select(waitMillis);
                    if (Thread.currentThread().isInterrupted()) return; // the load was stopped: what is in flight stays unanswered
                    for (SelectionKey key : selector.selectedKeys()) ready((Conn) key.attachment(), key);
                    selector.selectedKeys().clear();
                    waitMillis = expire();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("the probe's event loop failed", e);
            } finally {
                for (Conn c : conns) c.close();
                try {
                    selector.close();
                } catch (IOException e) {
                    // closing: nothing more to release
                }
            }
        }

        /**
         * Fails the requests whose silence has lasted the timeout, in one pass that also finds
         * how long the selector may wait before the next one could: 1 ms to 1 s.
         */
        private long expire() {
            long now = clock.nanoTime();
            long soonest = Long.MAX_VALUE;
            for (Conn c : conns) {
                if (c.current != null && now - c.deadline >= 0) {
                    fail(c, new SocketTimeoutException("no answer within " + timeoutNanos / 1_000_000 + " ms"));
                }
                if (c.current != null) soonest = Math.min(soonest, c.deadline - now); // the request after a failed one too
            }
            return soonest == Long.MAX_VALUE ? 1_000 : Math.max(1, Math.min(1_000, soonest / 1_000_000 + 1));
        }

        /**
         * The connection's next request, or its end when none is left. A request that cannot
         * even be sent (a refused connect) is counted here, and the next one tried, without
         * recursion however many fail.
         */
        private void startNext(Conn c) {
            while (true) {
                int i = next.getAndIncrement();
                if (i >= requests) {
                    c.close();
                    open--;
                    return;
                }
                Firing.Planned p = plan.apply(i + 1);
                c.current = p;
                c.sentNanos = clock.nanoTime();
                c.deadline = c.sentNanos + timeoutNanos;
                c.out = ByteBuffer.wrap(SocketTransport.encode(scratch, p.request()));
                c.head = p.request().method().equals("HEAD");
                try {
                    URI uri = p.request().uri();
                    String authority = uri.getRawAuthority();
                    if (c.channel == null || !authority.equals(c.authority)) c.connect(uri, authority);
                    if (c.connected) write(c);
                    return;
                } catch (IOException e) {
                    unanswered(c, e);
                }
            }
        }

        private void ready(Conn c, SelectionKey key) {
            if (c.current == null || !key.isValid()) return;
            try {
                if (key.isConnectable()) {
                    if (!c.channel.finishConnect()) return; // not yet: the key stays on OP_CONNECT
                    c.connected = true;
                    write(c);
                } else if (key.isWritable()) {
                    write(c);
                } else if (key.isReadable()) {
                    read(c);
                }
            } catch (IOException e) {
                fail(c, e);
            }
        }

        private void write(Conn c) throws IOException {
            c.channel.write(c.out);
            c.key.interestOps(c.out.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        }

        private void read(Conn c) throws IOException {
            readBuffer.clear();
            int n = c.channel.read(readBuffer);
            if (n < 0) c.answers.eof = true;
            else if (n == 0) return;
            else {
                readBuffer.flip();
                c.answers.append(readBuffer);
                c.deadline = clock.nanoTime() + timeoutNanos; // the timeout is of silence, as a socket's read timeout
            }
            Answer answer = c.answers.tryRead(c.head);
            if (answer == null) {
                if (c.answers.eof) throw new EOFException("the server closed the connection");
                return;
            }
            long now = clock.nanoTime();
            Firing.Planned p = c.current;
            c.current = null;
            tally.answered(answer, p.delta(), p.key(), now - c.sentNanos, now);
            done.increment();
            if (c.answers.closeAfter() || c.answers.eof) c.close();
            startNext(c);
        }

        /** The request in flight gets no answer; the connection is closed, and the next request opens another. */
        private void fail(Conn c, IOException e) {
            if (c.current == null) {
                c.close();
                return;
            }
            unanswered(c, e);
            startNext(c);
        }

        private void unanswered(Conn c, IOException e) {
            Firing.Planned p = c.current;
            c.close();
            c.current = null;
            long now = clock.nanoTime();
            tally.noAnswer(e, p.delta(), p.key(), now - c.sentNanos, now);
            done.increment();
        }

        /** One connection of the loop's, and its request in flight. */
        private final class Conn {
            SocketChannel channel;
            SelectionKey key;
            String authority;
            boolean connected;
            Firing.Planned current;
            long sentNanos;
            long deadline;
            ByteBuffer out;
            boolean head;
            final Received answers = new Received();

            void connect(URI uri, String authority) throws IOException {
                close();
                int port = uri.getPort() >= 0 ? uri.getPort() : 80;
                InetSocketAddress address = new InetSocketAddress(uri.getHost(), port);
                if (address.isUnresolved()) throw new ConnectException("cannot resolve " + uri.getHost());
                SocketChannel ch = SocketChannel.open();
                try {
                    ch.configureBlocking(false);
                    ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    connected = ch.connect(address);
                    key = ch.register(selector, connected ? SelectionKey.OP_WRITE : SelectionKey.OP_CONNECT, this);
                } catch (IOException e) {
                    ch.close();
                    throw e;
                }
                channel = ch;
                this.authority = authority;
                answers.reset();
            }

            void close() {
                if (channel == null) return;
                try {
                    channel.close(); // deregisters its key
                } catch (IOException e) {
                    // already broken: nothing more to release
                }
                channel = null;
                key = null;
                authority = null;
                connected = false;
            }
        }
    }

    /**
     * The bytes of the answer in progress, as they arrived: {@link #tryRead} parses from the
     * answer's first byte each time and gives up, without a trace, when they run out.
     */
    static final class Received extends AnswerReader {
        /** An answer larger than this is refused rather than held in memory whole. */
        static final int MAX_ANSWER_BYTES = 64 * 1024 * 1024;
        private static final Incomplete INCOMPLETE = new Incomplete();
        boolean eof;

        Received() {
            super(16 * 1024);
        }

        void reset() {
            clear();
            eof = false;
        }

        void append(ByteBuffer bytes) throws IOException {
            int n = bytes.remaining();
            if (lim + n > MAX_ANSWER_BYTES) throw new IOException("an answer over " + MAX_ANSWER_BYTES / (1024 * 1024) + " MB");
            if (lim + n > buf.length) buf = Arrays.copyOf(buf, Math.max(lim + n, buf.length * 2));
            bytes.get(buf, lim, n);
            lim += n;
        }

        /** The answer, when all of it is here; null when more must come. */
        Answer tryRead(boolean head) throws IOException {
            int start = pos;
            try {
                Answer answer = read(head);
                clear(); // one request is in flight a connection: nothing after an answer but what a broken server sends
                return answer;
            } catch (IOException e) {
                if (!(e instanceof Incomplete)) throw e;
                pos = start;
                return null;
            }
        }

        @Override
        protected boolean fill() throws IOException {
            if (eof) return false;
            throw INCOMPLETE;
        }

        @Override
        protected void need(long n) throws IOException {
            if (lim - pos < n && !eof) throw INCOMPLETE;
        }

        /** More bytes must come: thrown once for each try that runs out, so it carries no trace. */
        private static final class Incomplete extends IOException {
            Incomplete() {
                super("the answer is not all here yet");
            }

            @Override
            public synchronized Throwable fillInStackTrace() {
                return this;
            }
        }
    }
}
