package dev.racelab.internal.store.redis;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * Encodes commands as RESP (an array of bulk strings each) into one reused buffer, so a batch
 * of commands goes out in one write. Strings are encoded as UTF-8 straight into the buffer: no
 * byte array per argument.
 */
final class RespWriter {
    private static final int INITIAL = 16 * 1024;
    /** A buffer grown past this by one large batch goes back to the initial size after it is written. */
    private static final int KEEP_AT_MOST = 1024 * 1024;

    private byte[] buffer = new byte[INITIAL];
    private int length;

    /** {@code *count\r\n}: a command of {@code count} words follows. */
    void arrayHeader(int count) {
        ensure(1 + 11 + 2);
        buffer[length++] = '*';
        number(count);
    }

    void bulk(long value) {
        ensure(1 + 2 + 2 + 20 + 2);
        buffer[length++] = '$';
        number(digits(value));
        number(value);
    }

    void bulk(String value) {
        int bytes = utf8Length(value);
        ensure(1 + 11 + 2 + bytes + 2);
        buffer[length++] = '$';
        number(bytes);
        utf8(value);
        buffer[length++] = '\r';
        buffer[length++] = '\n';
    }

    boolean isEmpty() {
        return length == 0;
    }

    /** Writes everything encoded since the last call in one write, and starts over. */
    void writeTo(OutputStream out) throws IOException {
        try {
            out.write(buffer, 0, length);
        } finally {
            length = 0;
            if (buffer.length > KEEP_AT_MOST) buffer = new byte[INITIAL];
        }
    }

    /** Forgets what was encoded, unwritten. */
    void clear() {
        length = 0;
    }

    /** The encoded bytes, for tests. */
    byte[] encoded() {
        return Arrays.copyOf(buffer, length);
    }

    /** The decimal digits of {@code n}, then CRLF. */
    private void number(long n) {
        if (n < 0) {
            buffer[length++] = '-';
            if (n == Long.MIN_VALUE) { // has no positive counterpart
                byte[] digits = "9223372036854775808\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                System.arraycopy(digits, 0, buffer, length, digits.length);
                length += digits.length;
                return;
            }
            n = -n;
        }
        int end = length + digits(n);
        for (int i = end - 1; i >= length; i--) {
            buffer[i] = (byte) ('0' + n % 10);
            n /= 10;
        }
        length = end;
        buffer[length++] = '\r';
        buffer[length++] = '\n';
    }

    /** How many characters {@code n} takes in decimal, its minus sign included. */
    private static int digits(long n) {
        if (n == Long.MIN_VALUE) return 20;
        int d = n < 0 ? 2 : 1;
        n = Math.abs(n);
        while (n >= 10) {
            n /= 10;
            d++;
        }
        return d;
    }

    /** As {@link String#getBytes} with UTF-8 counts them: a lone surrogate becomes one '?'. */
    static int utf8Length(String s) {
        int bytes = 0;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) bytes++;
            else if (c < 0x800) bytes += 2;
            else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) bytes++;
            else bytes += 3;
        }
        return bytes;
    }

    private void utf8(String s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                buffer[length++] = (byte) c;
            } else if (c < 0x800) {
                buffer[length++] = (byte) (0xc0 | c >> 6);
                buffer[length++] = (byte) (0x80 | c & 0x3f);
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                buffer[length++] = (byte) (0xf0 | cp >> 18);
                buffer[length++] = (byte) (0x80 | cp >> 12 & 0x3f);
                buffer[length++] = (byte) (0x80 | cp >> 6 & 0x3f);
                buffer[length++] = (byte) (0x80 | cp & 0x3f);
            } else if (Character.isSurrogate(c)) {
                buffer[length++] = '?';
            } else {
                buffer[length++] = (byte) (0xe0 | c >> 12);
                buffer[length++] = (byte) (0x80 | c >> 6 & 0x3f);
                buffer[length++] = (byte) (0x80 | c & 0x3f);
            }
        }
    }

    private void ensure(int more) {
        if (length + more > buffer.length) buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
    }
}
