package dev.racelab.internal.history;

import dev.racelab.core.Change;
import dev.racelab.core.Operation;
import dev.racelab.core.Outcome;
import dev.racelab.core.StrategyStats;
import java.util.Map;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;

/**
 * A worker's history, streamed to its file as it happens: an invoke record before the
 * operation is sent to the store, a complete record when it returns. The file is memory
 * mapped, so a record is in the kernel's page cache the moment it is copied in: a worker
 * killed with SIGKILL at any instant leaves every record it finished writing, and no write
 * costs a system call. (Against a power cut this would need an fsync; against kill -9 it does
 * not.)
 *
 * <p>Threads append concurrently: each reserves its bytes with one atomic add, then copies
 * them in. A thread killed between the two leaves a hole of zeros, which {@link JournalReader}
 * skips; every record carries a marker and a checksum, so the reader never takes a torn tail or
 * a hole for a record. The file grows in windows of {@value #WINDOW} bytes (sparse on disk);
 * a record never spans two.
 *
 * <p>Record, on an 8-byte boundary: marker (4 bytes), length of the body (2), body, CRC32C of
 * the body (4), zeros up to the next boundary. The body's first byte is the type: {@link #INVOKE}, {@link #COMPLETE}, {@link #SUMMARY} or {@link #STATS}.
 */
public final class Journal implements AutoCloseable {
    static final int FILE_MAGIC = 0x524C_4A31; // "RLJ1"
    static final int MARKER = 0x5EC0_4D1E;
    static final int HEADER = 16;
    static final int WINDOW = 64 << 20;
    static final byte INVOKE = 1;
    static final byte COMPLETE = 2;
    static final byte SUMMARY = 3;
    /** The strategy's own figures so far; each only grows, so the largest of each in the file counts. */
    static final byte STATS = 4;
    /** Marker, length, checksum. */
    static final int FRAME = 4 + 2 + 4;
    /** Records start on 8-byte boundaries, so a reader steps over a hole 8 bytes at a time. */
    static final int ALIGN = 8;
    private static final int MAX_BODY = 0xFFFF;

    private final RandomAccessFile file;
    private final FileChannel channel;
    private final List<MappedByteBuffer> windows = new ArrayList<>();
    private final AtomicLong end = new AtomicLong(HEADER);
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

    private Journal(RandomAccessFile file) {
        this.file = file;
        this.channel = file.getChannel();
    }

    /** Creates the file (replacing any), with its header naming the instance. */
    public static Journal create(Path path, int instance) throws IOException {
        RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw");
        file.setLength(0);
        Journal journal = new Journal(file);
        MappedByteBuffer first = journal.window(0);
        first.putInt(0, FILE_MAGIC);
        first.putInt(4, instance);
        return journal;
    }

    /** Before the operation reaches the store: what it is, and when. */
    public void invoked(Operation op, long invokeNanos) {
        Scratch s = scratch.get();
        s.begin(INVOKE);
        s.putLong(op.id());
        s.putLong(invokeNanos);
        s.putByte(op.changes().size());
        for (Change c : op.changes()) {
            s.putString(c.key());
            s.putLong(c.delta());
        }
        s.putString(op.guard() == null ? "" : op.guard());
        s.putByte(op.releasesGuard() ? 1 : 0);
        append(s);
    }

    /** When the store answered, or the strategy gave its outcome. */
    public void completed(long opId, long completeNanos, Outcome outcome) {
        Scratch s = scratch.get();
        s.begin(COMPLETE);
        s.putLong(opId);
        s.putLong(completeNanos);
        s.putByte(outcome.status().ordinal());
        s.putByte(outcome.reason() == null ? -1 : outcome.reason().ordinal());
        s.putInt(outcome.retries());
        append(s);
    }

    /** The worker's own figures, written once when its load ended normally. */
    public void summary(long elapsedNanos, long errorCount, String firstError, long peakHeapBytes, long liveHeapBytes) {
        Scratch s = scratch.get();
        s.begin(SUMMARY);
        s.putLong(elapsedNanos);
        s.putLong(errorCount);
        s.putString(firstError == null ? "" : truncate(firstError));
        s.putLong(peakHeapBytes);
        s.putLong(liveHeapBytes);
        append(s);
    }

    /**
     * The strategy's figures so far, written as the load runs (with each progress line) and at
     * its end, so a worker killed mid-run leaves its figures up to its last progress line.
     */
    public void stats(StrategyStats stats) {
        if (stats.isEmpty()) return;
        Scratch s = scratch.get();
        s.begin(STATS);
        putNamed(s, stats.sums());
        putNamed(s, stats.maxima());
        append(s);
    }

    private static void putNamed(Scratch s, Map<String, Long> figures) {
        s.putByte(figures.size());
        figures.forEach((name, value) -> {
            s.putString(name);
            s.putLong(value);
        });
    }

    private void append(Scratch s) {
        int body = s.length;
        if (body > MAX_BODY) throw new IllegalArgumentException("a history record of " + body + " bytes is too long");
        int size = (FRAME + body + ALIGN - 1) & -ALIGN;
        long at = reserve(size);
        MappedByteBuffer window = window((int) (at / WINDOW));
        int offset = (int) (at % WINDOW);
        // The marker goes in last: until it is there, a reader sees zeros, not half a record.
        window.putShort(offset + 4, (short) body);
        window.put(offset + 6, s.bytes, 0, body);
        CRC32C crc = s.crc;
        crc.reset();
        crc.update(s.bytes, 0, body);
        window.putInt(offset + 6 + body, (int) crc.getValue());
        window.putInt(offset, MARKER);
    }

    /** Reserves {@code size} bytes that do not cross a window boundary. */
    private long reserve(long size) {
        while (true) {
            long at = end.getAndAdd(size);
            if (at / WINDOW == (at + size - 1) / WINDOW) return at;
            // Crossed a boundary: the rest of this window stays a hole; move on to the next one.
            long next = (at / WINDOW + 1) * WINDOW;
            end.compareAndSet(at + size, next);
        }
    }

    private MappedByteBuffer window(int index) {
        synchronized (windows) {
            try {
                while (windows.size() <= index) {
                    long start = (long) windows.size() * WINDOW;
                    windows.add(channel.map(FileChannel.MapMode.READ_WRITE, start, WINDOW));
                }
                return windows.get(index);
            } catch (IOException e) {
                throw new UncheckedIOException("could not grow the history file", e);
            }
        }
    }

    /** Trims the file to what was written, so a finished history takes no more room than its records. */
    @Override
    public void close() throws IOException {
        long written = end.get();
        synchronized (windows) {
            windows.clear(); // unmapped when collected; the data is in the page cache already
        }
        channel.truncate(written);
        file.close();
    }

    private static String truncate(String s) {
        return s.length() > 2000 ? s.substring(0, 2000) + "..." : s;
    }

    /** One thread's buffer for encoding a record, reused for every record it writes. */
    private static final class Scratch {
        byte[] bytes = new byte[256];
        int length;
        final CRC32C crc = new CRC32C();

        void begin(byte type) {
            length = 0;
            putByte(type);
        }

        void putByte(int b) {
            ensure(1);
            bytes[length++] = (byte) b;
        }

        void putInt(int v) {
            ensure(4);
            for (int i = 3; i >= 0; i--) bytes[length++] = (byte) (v >>> (i * 8));
        }

        void putLong(long v) {
            ensure(8);
            for (int i = 7; i >= 0; i--) bytes[length++] = (byte) (v >>> (i * 8));
        }

        void putString(String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            if (utf8.length > 0x7FFF) throw new IllegalArgumentException("a key of " + utf8.length + " bytes is too long");
            ensure(2 + utf8.length);
            bytes[length++] = (byte) (utf8.length >>> 8);
            bytes[length++] = (byte) utf8.length;
            System.arraycopy(utf8, 0, bytes, length, utf8.length);
            length += utf8.length;
        }

        private void ensure(int more) {
            if (length + more > bytes.length) bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }
}
