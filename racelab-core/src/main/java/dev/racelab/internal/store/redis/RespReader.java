package dev.racelab.internal.store.redis;

import io.lettuce.core.internal.ExceptionFactory;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Parses RESP2 replies from a socket through one reused buffer: a simple string or a bulk
 * string as a String, an integer as a Long, an array as a List (nested as they come), a nil
 * as {@link #NIL} (null inside an array), and an error as the Lettuce exception Lettuce would make of it (NOSCRIPT a
 * {@link io.lettuce.core.RedisNoScriptException}), returned, not thrown: it is the answer.
 *
 * <p>The socket has a short read timeout; each time a read times out it asks
 * {@link StillWaiting} whether to go on, which is how a late answer is noticed without a
 * timer thread.
 */
final class RespReader {
    /** A nil bulk string or nil array. */
    static final Object NIL = new Object() {
        @Override
        public String toString() {
            return "nil";
        }
    };

    private final InputStream in;
    private final byte[] buffer = new byte[64 * 1024];
    private int position;
    private int limit;
    private byte[] line = new byte[128];

    RespReader(InputStream in) {
        this.in = in;
    }

    /** Blocks until one whole reply has come. */
    Object read() throws IOException {
        int type = readByte();
        return switch (type) {
            case '+' -> readLine();
            case '-' -> ExceptionFactory.createExecutionException(readLine());
            case ':' -> readNumber();
            case '$' -> readBulk(readNumber());
            case '*' -> readArray(readNumber());
            default -> throw new IOException("not a RESP2 reply: it starts with byte " + type);
        };
    }

    private Object readBulk(long length) throws IOException {
        if (length < 0) return NIL;
        if (length > Integer.MAX_VALUE - 8) throw new IOException("a bulk string of " + length + " bytes");
        int n = (int) length;
        String value;
        if (limit - position >= n) {
            value = new String(buffer, position, n, StandardCharsets.UTF_8);
            position += n;
        } else {
            byte[] bytes = new byte[n];
            int copied = 0;
            while (copied < n) {
                if (position == limit) fill();
                int chunk = Math.min(n - copied, limit - position);
                System.arraycopy(buffer, position, bytes, copied, chunk);
                position += chunk;
                copied += chunk;
            }
            value = new String(bytes, StandardCharsets.UTF_8);
        }
        if (readByte() != '\r' || readByte() != '\n') throw new IOException("a bulk string not ended by CRLF");
        return value;
    }

    private Object readArray(long count) throws IOException {
        if (count < 0) return NIL;
        List<Object> items = new ArrayList<>((int) Math.min(count, 1024));
        for (long i = 0; i < count; i++) {
            Object item = read();
            items.add(item == NIL ? null : item);
        }
        return items;
    }

    /** A line's decimal number, parsed as it is read: no String in between. */
    private long readNumber() throws IOException {
        int b = readByte();
        boolean negative = b == '-';
        if (negative) b = readByte();
        long n = 0;
        int digits = 0;
        while (b != '\r') {
            if (b < '0' || b > '9' || ++digits > 19) throw new IOException("not a RESP2 number: byte " + b);
            n = n * 10 + (b - '0');
            b = readByte();
        }
        if (digits == 0 || readByte() != '\n') throw new IOException("a number not ended by CRLF");
        return negative ? -n : n;
    }

    private String readLine() throws IOException {
        int length = 0;
        while (true) {
            int b = readByte();
            if (b == '\r') {
                if (readByte() != '\n') throw new IOException("a line not ended by CRLF");
                return new String(line, 0, length, StandardCharsets.UTF_8);
            }
            if (length == line.length) line = Arrays.copyOf(line, length * 2);
            line[length++] = (byte) b;
        }
    }

    private int readByte() throws IOException {
        if (position == limit) fill();
        return buffer[position++] & 0xff;
    }

    private void fill() throws IOException {
        int n = in.read(buffer, 0, buffer.length);
        if (n < 0) throw new EOFException("redis closed the connection");
        position = 0;
        limit = n;
    }
}
