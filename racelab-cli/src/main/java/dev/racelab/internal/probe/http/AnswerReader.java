package dev.racelab.internal.probe.http;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads one HTTP/1.1 answer from bytes as they come: the status, the headers it must
 * understand (Content-Length, Transfer-Encoding: chunked, Connection) and the body. Where the
 * bytes come from is the subclass's {@link #fill}: a blocking socket's read, or what an event
 * loop has received so far. Both transports read answers with this one parser.
 */
abstract class AnswerReader {
    /** The bytes: {@code buf[pos..lim)} are read and not yet parsed. */
    protected byte[] buf;
    protected int pos;
    protected int lim;
    private boolean closeAfter;

    AnswerReader(int size) {
        buf = new byte[size];
    }

    /**
     * Makes more bytes readable in {@code buf[pos..lim)}; false when the server closed the
     * connection and none will come.
     */
    protected abstract boolean fill() throws IOException;

    /** Called before a body of {@code n} bytes is read: a reader that cannot wait may refuse here, before the body is allocated. */
    protected void need(long n) throws IOException {
    }

    /** Forgets the bytes held: a new connection's answers start from nothing. */
    final void clear() {
        pos = 0;
        lim = 0;
    }

    /** Whether the last answer read says the connection cannot carry another request. */
    final boolean closeAfter() {
        return closeAfter;
    }

    /** The next answer; 1xx interim answers (100 Continue, 103 Early Hints) are skipped. */
    final Answer read(boolean head) throws IOException {
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
            if (status / 100 == 1 && status != 101) continue; // the answer follows
            byte[] body;
            if (head || status == 204 || status == 304) body = new byte[0];
            else if (chunked) body = chunked();
            else if (length >= 0) body = exactly(length);
            else {
                body = toEnd();
                close = true;
            }
            closeAfter = close;
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
        need(n);
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

    static String shorten(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
