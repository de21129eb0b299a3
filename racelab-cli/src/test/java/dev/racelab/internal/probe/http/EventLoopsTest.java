package dev.racelab.internal.probe.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racelab.core.Clock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The event loops that run a plain-HTTP probe's load: answers parsed however the bytes are cut,
 * and what a request gets when the server closes, stays silent or is not there, against
 * servers on loopback that this test writes byte by byte.
 */
@Timeout(60) // a loop that never gives up on a request fails here instead of hanging the build
class EventLoopsTest {

    // --- the parser, fed one byte at a time ---

    @Test
    void anAnswerCutIntoSingleBytesIsReadWhenItsLastByteArrives() throws IOException {
        Answer a = feedByteByByte("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 5\r\n\r\nhello", false);
        assertThat(a.status()).isEqualTo(201);
        assertThat(a.body()).isEqualTo("hello");
    }

    @Test
    void aChunkedAnswerCutIntoSingleBytesIsReadWhole() throws IOException {
        Answer a = feedByteByByte("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\nTrailer: t\r\n\r\n", false);
        assertThat(a.body()).isEqualTo("abcde");
    }

    @Test
    void anAnswerWithoutALengthEndsWhenTheServerCloses() throws IOException {
        EventLoops.Received r = new EventLoops.Received();
        r.append(ByteBuffer.wrap("HTTP/1.0 200 OK\r\n\r\nall of it".getBytes(StandardCharsets.ISO_8859_1)));
        assertThat(r.tryRead(false)).as("until the close, more may come").isNull();
        r.eof = true;
        Answer a = r.tryRead(false);
        assertThat(a.body()).isEqualTo("all of it");
        assertThat(r.closeAfter()).isTrue();
    }

    private static Answer feedByteByByte(String text, boolean head) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        EventLoops.Received r = new EventLoops.Received();
        for (int i = 0; i < bytes.length; i++) {
            r.append(ByteBuffer.wrap(bytes, i, 1));
            Answer a = r.tryRead(head);
            if (i < bytes.length - 1) assertThat(a).as("after byte %d of %d", i + 1, bytes.length).isNull();
            else return a;
        }
        throw new AssertionError("no bytes");
    }

    // --- the load, against servers this test writes ---

    @Test
    void anAnswerThatSaysCloseIsCountedAndTheNextRequestOpensANewConnection() throws Exception {
        try (RawServer server = new RawServer(out -> out.write(
                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok".getBytes(StandardCharsets.ISO_8859_1)), true)) {
            Tally t = fire(server.uri(), 40, 4, Duration.ofSeconds(10));
            assertThat(t.acknowledged()).isEqualTo(40);
            assertThat(t.unknown()).isZero();
            assertThat(server.connections.get()).as("one connection a request").isEqualTo(40);
        }
    }

    @Test
    void keepAliveAnswersReuseTheConnections() throws Exception {
        try (RawServer server = new RawServer(out -> out.write(
                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.ISO_8859_1)), false)) {
            Tally t = fire(server.uri(), 400, 4, Duration.ofSeconds(10));
            assertThat(t.acknowledged()).isEqualTo(400);
            assertThat(server.connections.get()).isEqualTo(4);
        }
    }

    /** The server reads each request and never answers: every request in flight times out, and is counted as maybe landed. */
    @Test
    void aSilentServerTimesEachRequestOutAsUnknown() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        try (RawServer server = new RawServer(out -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, false)) {
            Tally t = fire(server.uri(), 3, 3, Duration.ofMillis(300));
            assertThat(t.unknown()).isEqualTo(3);
            assertThat(t.acknowledged()).isZero();
            assertThat(t.uncertainUp()).isEqualByComparingTo("30");
            assertThat(t.firstError()).contains("no answer within 300 ms");
        } finally {
            never.countDown();
        }
    }

    /** Nothing listens: each request is refused and counted, one after the other, without the stack growing with them. */
    @Test
    void aRefusedConnectionFailsEachRequestWithoutRecursion() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Tally t = fire(URI.create("http://127.0.0.1:" + port + "/deposit"), 20_000, 2, Duration.ofSeconds(5));
        assertThat(t.unknown()).isEqualTo(20_000);
        assertThat(t.acknowledged()).isZero();
    }

    private static Tally fire(URI uri, int requests, int inFlight, Duration timeout) {
        byte[] body = "{\"amount\": 10}".getBytes(StandardCharsets.UTF_8);
        Firing.Planned planned = new Firing.Planned(new Outgoing("POST", uri, List.of(), body), new BigDecimal("10"), null);
        Firing firing = new Firing(new SocketTransport(timeout), Clock.SYSTEM, new PrintWriter(new StringWriter()), Duration.ofSeconds(1), "probe");
        return firing.run(requests, inFlight, n -> planned, Tally::new).tally();
    }

    interface Answering {
        void answer(OutputStream out) throws IOException;
    }

    /** Reads each request (its head and Content-Length body) and answers it as told; closes after it when told. */
    static final class RawServer implements AutoCloseable {
        final AtomicInteger connections = new AtomicInteger();
        private final ServerSocket socket;
        private final Thread acceptor;

        RawServer(Answering answering, boolean closeAfterEach) throws IOException {
            socket = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
            acceptor = Thread.ofVirtual().start(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket s = socket.accept();
                        connections.incrementAndGet();
                        Thread.ofVirtual().start(() -> serve(s, answering, closeAfterEach));
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/deposit");
        }

        private static void serve(Socket s, Answering answering, boolean closeAfterEach) {
            try (s) {
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                while (readRequest(in)) {
                    answering.answer(out);
                    out.flush();
                    if (closeAfterEach) return;
                }
            } catch (IOException gone) {
                // the client closed: done with this connection
            }
        }

        /** One request's head and body; false at the end of the stream. */
        private static boolean readRequest(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                head.write(b);
                byte[] h = head.toByteArray();
                int n = h.length;
                if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') break;
            }
            if (b < 0) return false;
            String text = head.toString(StandardCharsets.ISO_8859_1);
            int at = text.toLowerCase().indexOf("content-length:");
            if (at >= 0) {
                int length = Integer.parseInt(text.substring(at + 15, text.indexOf('\r', at)).strip());
                in.readNBytes(length);
            }
            return true;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
