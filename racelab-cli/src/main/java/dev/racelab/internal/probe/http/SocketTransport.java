package dev.racelab.internal.probe.http;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * HTTP/1.1 over one blocking keep-alive socket per worker, on virtual threads. A load probe
 * spends its time in this loop, so it does only what a request needs: one write of the
 * request's bytes, one buffered read of the status, the headers it must understand
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

    @Override
    public Exchanger exchanger() {
        return new Connection(Math.toIntExact(Math.min(Integer.MAX_VALUE, timeout.toMillis())));
    }

    @Override
    public void close() {
        // nothing shared: each exchanger closes its own socket
    }

    private static final class Connection implements Exchanger {
        private final int timeoutMs;
        private final byte[] buf = new byte[16 * 1024];
        private final ByteArrayOutputStream request = new ByteArrayOutputStream(512);
        private Socket socket;
        private String socketAuthority;
        private InputStream in;
        private OutputStream out;
        private int pos;
        private int lim;

        Connection(int timeoutMs) {
            this.timeoutMs = timeoutMs;
        }

        @Override
        public Answer send(Outgoing r) throws IOException {
            URI uri = r.uri();
            String authority = uri.getScheme() + "://" + uri.getRawAuthority();
            if (socket == null || !authority.equals(socketAuthority)) connect(uri, authority);
            try {
                out.write(encode(r));
                out.flush();
                Answer answer = read(r.method().equals("HEAD"));
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
            pos = 0;
            lim = 0;
        }

        private byte[] encode(Outgoing r) {
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

        private Answer read(boolean head) throws IOException {
            while (true) {
                String statusLine = line();
                if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
                    throw new IOException("not an HTTP/1.1 answer: '" + shorten(statusLine) + "'");
                }
                boolean http10 = statusLine.charAt(7) == '0';
                int status;
                try {
                    status = Integer.parseInt(statusLine, 9, 12, 10);
                } catch (NumberFormatException e) {
                    throw new IOException("not an HTTP status line: '" + shorten(statusLine) + "'");
                }
                long length = -1;
                boolean chunked = false;
                boolean close = http10;
                for (String h = line(); !h.isEmpty(); h = line()) {
                    int colon = h.indexOf(':');
                    if (colon <= 0) continue;
                    String name = h.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                    String value = h.substring(colon + 1).strip();
                    switch (name) {
                        case "content-length" -> length = parseLength(value);
                        case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                        case "connection" -> {
                            String v = value.toLowerCase(Locale.ROOT);
                            if (v.contains("close")) close = true;
                            else if (v.contains("keep-alive")) close = false;
                        }
                        default -> { }
                    }
                }
                if (status / 100 == 1 && status != 101) continue; // 100 Continue, 103 Early Hints: the answer follows
                byte[] body;
                if (head || status == 204 || status == 304) body = new byte[0];
                else if (chunked) body = chunked();
                else if (length >= 0) body = exactly(length);
                else {
                    body = toEnd();
                    close = true;
                }
                if (close) close();
                return new Answer(status, body);
            }
        }

        private static long parseLength(String value) throws IOException {
            try {
                long n = Long.parseLong(value);
                if (n < 0 || n > Integer.MAX_VALUE - 16) throw new NumberFormatException();
                return n;
            } catch (NumberFormatException e) {
                throw new IOException("a bad Content-Length: " + value);
            }
        }

        private byte[] chunked() throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                String size = line();
                int semi = size.indexOf(';');
                long n;
                try {
                    n = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).strip(), 16);
                } catch (NumberFormatException e) {
                    throw new IOException("a bad chunk size: '" + shorten(size) + "'");
                }
                if (n == 0) {
                    while (!line().isEmpty()) { } // trailers
                    return body.toByteArray();
                }
                if (n < 0 || body.size() + n > Integer.MAX_VALUE - 16) throw new IOException("a chunk too large: " + n);
                body.writeBytes(exactly(n));
                line(); // the CRLF after the chunk
            }
        }

        private byte[] exactly(long n) throws IOException {
            byte[] body = new byte[(int) n];
            int got = 0;
            while (got < n) {
                if (pos == lim && !fill()) throw new EOFException("the connection closed mid-answer");
                int take = (int) Math.min(n - got, lim - pos);
                System.arraycopy(buf, pos, body, got, take);
                pos += take;
                got += take;
            }
            return body;
        }

        private byte[] toEnd() throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (pos < lim || fill()) {
                body.write(buf, pos, lim - pos);
                pos = lim;
            }
            return body.toByteArray();
        }

        /** One header line, without its CRLF; long lines are refused. */
        private String line() throws IOException {
            StringBuilder sb = null;
            while (true) {
                if (pos == lim && !fill()) throw new EOFException("the server closed the connection");
                int start = pos;
                while (pos < lim && buf[pos] != '\n') pos++;
                boolean found = pos < lim;
                int end = pos;
                if (found) pos++;
                if (!found || sb != null) {
                    if (sb == null) sb = new StringBuilder();
                    sb.append(new String(buf, start, end - start, StandardCharsets.ISO_8859_1));
                    if (sb.length() > 64 * 1024) throw new IOException("a header line over 64 KB");
                    if (!found) continue;
                    int len = sb.length();
                    if (len > 0 && sb.charAt(len - 1) == '\r') sb.setLength(len - 1);
                    return sb.toString();
                }
                int stop = end > start && buf[end - 1] == '\r' ? end - 1 : end;
                return new String(buf, start, stop - start, StandardCharsets.ISO_8859_1);
            }
        }

        private boolean fill() throws IOException {
            int n = in.read(buf, 0, buf.length);
            if (n <= 0) return false;
            pos = 0;
            lim = n;
            return true;
        }

        private static String shorten(String s) {
            return s.length() > 80 ? s.substring(0, 80) + "..." : s;
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
