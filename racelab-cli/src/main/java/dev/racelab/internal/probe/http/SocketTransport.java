package dev.racelab.internal.probe.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * HTTP/1.1 over one blocking keep-alive socket per worker, on virtual threads: a probe's setup
 * and reads, and an {@code https://} load (a plain-HTTP load runs on {@link EventLoops}, with
 * this encoding and the same parser). It does only what a request needs: one write of the
 * request's bytes, buffered reads of the status, the headers it must understand
 * (Content-Length, Transfer-Encoding: chunked, Connection) and the body. No pool, no
 * futures, no per-request objects beyond the answer: on a 2-core machine every cycle the
 * client spends is one the server under test does not get.
 *
 * <p>A request is never sent twice: when a connection breaks, that request has no answer
 * (it may or may not have landed), and the next one opens a new connection.
 */
public final class SocketTransport implements HttpTransport {
    private final Duration timeout;

    public SocketTransport(Duration timeout) {
        this.timeout = timeout;
    }

    Duration timeout() {
        return timeout;
    }

    @Override
    public Exchanger exchanger() {
        return new Connection(Math.toIntExact(Math.min(Integer.MAX_VALUE, timeout.toMillis())));
    }

    @Override
    public void close() {
        // nothing shared: each exchanger closes its own socket
    }

    /** The request's bytes: the request line, Host, the headers, Content-Length and the body. */
    static byte[] encode(ByteArrayOutputStream request, Outgoing r) {
        request.reset();
        URI uri = r.uri();
        String target = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) target += "?" + uri.getRawQuery();
        StringBuilder head = new StringBuilder(256);
        head.append(r.method()).append(' ').append(target).append(" HTTP/1.1\r\nHost: ").append(uri.getRawAuthority()).append("\r\n");
        for (Outgoing.Header h : r.headers()) head.append(h.name()).append(": ").append(h.value()).append("\r\n");
        if (r.body() != null) head.append("Content-Length: ").append(r.body().length).append("\r\n");
        else if (!r.method().equals("GET") && !r.method().equals("HEAD")) head.append("Content-Length: 0\r\n");
        head.append("\r\n");
        request.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (r.body() != null) request.writeBytes(r.body());
        return request.toByteArray();
    }

    private static final class Connection implements Exchanger {
        private final int timeoutMs;
        private final ByteArrayOutputStream request = new ByteArrayOutputStream(512);
        private final Reader answers = new Reader();
        private Socket socket;
        private String socketAuthority;
        private InputStream in;
        private OutputStream out;

        Connection(int timeoutMs) {
            this.timeoutMs = timeoutMs;
        }

        @Override
        public Answer send(Outgoing r) throws IOException {
            URI uri = r.uri();
            String authority = uri.getScheme() + "://" + uri.getRawAuthority();
            if (socket == null || !authority.equals(socketAuthority)) connect(uri, authority);
            try {
                out.write(encode(request, r));
                out.flush();
                Answer answer = answers.read(r.method().equals("HEAD"));
                if (answers.closeAfter()) close();
                return answer;
            } catch (SocketTimeoutException e) {
                close();
                throw new SocketTimeoutException("no answer within " + timeoutMs + " ms");
            } catch (IOException | RuntimeException e) {
                close();
                throw e;
            }
        }

        private void connect(URI uri, String authority) throws IOException {
            close();
            boolean tls = uri.getScheme().equalsIgnoreCase("https");
            int port = uri.getPort() >= 0 ? uri.getPort() : tls ? 443 : 80;
            Socket s = new Socket();
            try {
                s.setTcpNoDelay(true);
                s.connect(new InetSocketAddress(uri.getHost(), port), timeoutMs);
                s.setSoTimeout(timeoutMs);
                if (tls) {
                    SSLSocket ssl = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault())
                            .createSocket(s, uri.getHost(), port, true);
                    ssl.startHandshake();
                    s = ssl;
                }
            } catch (IOException e) {
                s.close();
                throw e;
            }
            socket = s;
            socketAuthority = authority;
            in = s.getInputStream();
            out = s.getOutputStream();
            answers.clear();
        }

        /** Answers from the socket: a blocking read (with the socket's timeout) whenever the bytes run out. */
        private final class Reader extends AnswerReader {
            Reader() {
                super(16 * 1024);
            }

            @Override
            protected boolean fill() throws IOException {
                int n = in.read(buf, 0, buf.length);
                if (n <= 0) return false;
                pos = 0;
                lim = n;
                return true;
            }
        }

        @Override
        public void close() {
            if (socket == null) return;
            try {
                socket.close();
            } catch (IOException e) {
                // already broken: nothing more to release
            }
            socket = null;
            socketAuthority = null;
        }
    }
}
