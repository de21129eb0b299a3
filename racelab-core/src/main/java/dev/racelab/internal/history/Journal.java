package dev.racelab.internal.history;

import dev.racelab.core.Change;
import dev.racelab.core.Operation;
import dev.racelab.core.Outcome;
import dev.racelab.core.Status;
import dev.racelab.core.StrategyStats;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
 * a hole for a record. The file grows in windows of {@value #WRITE_WINDOW} bytes (sparse on disk);
 * a record never spans two. Only the two newest windows stay mapped: an older one is unmapped as
 * soon as no writer is in it, so a worker's resident memory (which counts the mapped pages it
 * wrote) does not grow with its history, and holds at most two windows of it. A reader bounds a
 * record by {@value #WINDOW} bytes, the window journals were written in before, which every
 * window size since divides.
 *
 * <p>A reader may follow the journal while it is written: {@link #publishCommitted} says, in a
 * small file beside it, an offset below which every record is whole ({@link #committed}).
 *
 * <p>Header (16 bytes): magic, instance, the nanoTime the journal was created (the base of every
 * time in it). Record, on an 8-byte boundary: marker (4 bytes), length of the body (2), body,
 * CRC32C of the body (4), zeros up to the next boundary. The body's first byte holds the type
 * in its low 3 bits ({@link #INVOKE}, {@link #COMPLETE}, {@link #SUMMARY}, {@link #STATS},
 * {@link #KEY}) and flags above them. Numbers are varints (signed ones zigzag encoded); an
 * operation id is written as its thread and sequence number (its instance is the header's);
 * times are nanoseconds from the header's base; a cell key is written once, in a {@link #KEY}
 * record, and named by its index after that.
 *
 * <p><b>Bytes per operation.</b> A counter operation on one cell without a guard: the invoke
 * body is type 1 + thread 1 + sequence 1-5 + time 5-7 + change count 1 + key index 1 + delta 1,
 * the complete body type-and-status 1 + thread 1 + sequence 1-5 + time 5-7 + retries 1 (+ a
 * reason byte when refused). With the frame's 10 bytes each rounds up to 24 while a thread's
 * sequence is below 2^21 and the run is under 18 minutes (times below 2^40 ns), so 48 bytes an
 * operation; a longer run, or millions of operations per thread, takes one more 8-byte step on
 * either record: 56 to 64 bytes. A guard row adds its key's length; a transfer's second cell
 * adds 2 bytes. (The frame is most of it: its marker and checksum are what lets a reader tell a
 * killed worker's torn tail from a record.)
 */
public final class Journal implements AutoCloseable {
    static final int FILE_MAGIC = 0x524C_4A32; // "RLJ2"
    static final int MARKER = 0x5EC0_4D1E;
    static final int HEADER = 16;
    /** No record spans a boundary of this many bytes: what a reader may assume of any journal. */
    static final int WINDOW = 64 << 20;
    /**
     * The windows written and mapped now: 16 MB, so the two mapped add at most 32 MB to a worker's
     * resident memory (64 MB windows added up to 128 MB, a quarter of a 600 s soak's worker).
     */
    static final int WRITE_WINDOW = 16 << 20;
    static final byte INVOKE = 1;
    static final byte COMPLETE = 2;
    static final byte SUMMARY = 3;
    /** The strategy's own figures so far; each only grows, so the largest of each in the file counts. */
    static final byte STATS = 4;
    /** A cell key and its index, written before the first record that names it. */
    static final byte KEY = 5;
    static final int TYPE_MASK = 0x07;
    /** On an invoke or a complete: the operation id's top 16 bits follow, as they are not the header's instance. */
    static final int FOREIGN_ID = 0x08;
    /** On an invoke: a guard key follows the changes. */
    static final int HAS_GUARD = 0x10;
    /** On an invoke: the operation deletes its guard row. */
    static final int RELEASES_GUARD = 0x20;
    /** On a complete: the status's ordinal sits in these bits. */
    static final int STATUS_SHIFT = 4;
    /** Marker, length, checksum. */
    static final int FRAME = 4 + 2 + 4;
    /** Records start on 8-byte boundaries, so a reader steps over a hole 8 bytes at a time. */
    static final int ALIGN = 8;
    static final int MAX_BODY = 0xFFFF;

    private final RandomAccessFile file;
    private final FileChannel channel;
    private final int instance;
    private final long baseNanos;
    /** {@link #WRITE_WINDOW}; smaller in tests, to cross many windows with few records (a divisor of {@link #WINDOW}, so the reader's bound holds). */
    private final int windowBytes;
    /** The mapped windows by index: the two newest; the older ones are retired as the file grows. */
    private final Map<Integer, Window> windows = new ConcurrentHashMap<>();
    private final AtomicLong end = new AtomicLong(HEADER);
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(this::newScratch);
    private final Map<String, Integer> keys = new ConcurrentHashMap<>();
    private final Scratch keyScratch = new Scratch();
    /** Every writer thread's scratch, so {@link #committed} can see where each one is writing. */
    private final java.util.Queue<Scratch> writers = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** Where {@link #publishCommitted} says how far the journal is complete: see {@link #committedFile}. */
    private final FileChannel committedChannel;
    private final ByteBuffer committedBytes = ByteBuffer.allocate(16);

    private Journal(RandomAccessFile file, FileChannel committedChannel, int instance, long baseNanos, int windowBytes) {
        if (WINDOW % windowBytes != 0) throw new IllegalArgumentException("a window must divide " + WINDOW);
        this.committedChannel = committedChannel;
        this.windowBytes = windowBytes;
        this.file = file;
        this.channel = file.getChannel();
        this.instance = instance;
        this.baseNanos = baseNanos;
    }

    /** Creates the file (replacing any), with its header naming the instance. */
    public static Journal create(Path path, int instance) throws IOException {
        return create(path, instance, WRITE_WINDOW);
    }

    static Journal create(Path path, int instance, int windowBytes) throws IOException {
        RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw");
        file.setLength(0);
        FileChannel committed = FileChannel.open(committedFile(path), java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING);
        Journal journal = new Journal(file, committed, instance, System.nanoTime(), windowBytes);
        Window first = journal.enter(0);
        try {
            first.buffer.putInt(0, FILE_MAGIC);
            first.buffer.putInt(4, instance);
            first.buffer.putLong(8, journal.baseNanos);
        } finally {
            journal.leave(first);
        }
        return journal;
    }

    /** Before the operation reaches the store: what it is, and when. */
    public void invoked(Operation op, long invokeNanos) {
        int[] keyIndex = new int[op.changes().size()];
        for (int i = 0; i < keyIndex.length; i++) keyIndex[i] = keyIndex(op.changes().get(i).key());
        Scratch s = scratch.get();
        int flags = INVOKE | (op.guard() != null ? HAS_GUARD : 0) | (op.releasesGuard() ? RELEASES_GUARD : 0);
        putId(s, flags, op.id());
        s.putZigZag(invokeNanos - baseNanos);
        s.putVarLong(op.changes().size());
        for (int i = 0; i < keyIndex.length; i++) {
            Change c = op.changes().get(i);
            s.putVarLong(keyIndex[i]);
            s.putZigZag(c.delta());
        }
        if (op.guard() != null) s.putString(op.guard());
        append(s);
    }

    /** When the store answered, or the strategy gave its outcome. */
    public void completed(long opId, long completeNanos, Outcome outcome) {
        Scratch s = scratch.get();
        putId(s, COMPLETE | (outcome.status().ordinal() << STATUS_SHIFT), opId);
        s.putZigZag(completeNanos - baseNanos);
        if (outcome.status() == Status.FAIL) s.putByte(outcome.reason().ordinal());
        s.putVarLong(outcome.retries());
        append(s);
    }

    /** Type and flags, then the id as thread and sequence: the instance is the header's unless flagged. */
    private void putId(Scratch s, int typeAndFlags, long id) {
        int top = (int) (id >>> 48);
        s.begin(typeAndFlags | (top != instance ? FOREIGN_ID : 0));
        if (top != instance) s.putVarLong(top);
        s.putVarLong((id >>> 32) & 0xFFFF);
        s.putVarLong(id & 0xFFFF_FFFFL);
    }

    /** The key's index, its {@link #KEY} record written first: whoever sees the index sees a journal that defines it. */
    private int keyIndex(String key) {
        Integer known = keys.get(key);
        if (known != null) return known;
        synchronized (keyScratch) {
            known = keys.get(key);
            if (known != null) return known;
            int index = keys.size();
            keyScratch.begin(KEY);
            keyScratch.putVarLong(index);
            keyScratch.putString(key);
            append(keyScratch, scratch.get());
            keys.put(key, index);
            return index;
        }
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

    /**
     * What one operation like {@code op} takes in a journal, invoke and complete records together,
     * refused (the longer complete record) with a few retries: the need a run's plan multiplies.
     * {@code cells} bounds the key indexes; {@code length} bounds the times (null: up to a day).
     */
    public static long bytesPerOperation(Operation op, int cells, java.time.Duration length) {
        long nanos = length == null ? java.time.Duration.ofDays(1).toNanos() : length.plusSeconds(60).toNanos();
        Scratch s = new Scratch();
        s.begin(INVOKE);
        s.putVarLong((op.id() >>> 32) & 0xFFFF);
        s.putVarLong(op.id() & 0xFFFF_FFFFL);
        s.putZigZag(nanos);
        s.putVarLong(op.changes().size());
        for (Change c : op.changes()) {
            s.putVarLong(Math.max(0, cells - 1));
            s.putZigZag(c.delta());
        }
        if (op.guard() != null) s.putString(op.guard());
        long invoke = (FRAME + s.length + ALIGN - 1) & -ALIGN;
        s.begin(COMPLETE);
        s.putVarLong((op.id() >>> 32) & 0xFFFF);
        s.putVarLong(op.id() & 0xFFFF_FFFFL);
        s.putZigZag(nanos);
        s.putByte(0);
        s.putVarLong(1000);
        long complete = (FRAME + s.length + ALIGN - 1) & -ALIGN;
        return invoke + complete;
    }

    /**
     * How far the journal is complete: every record that starts below this offset has all its
     * bytes in the file (below it, a gap of zeros stays a gap). Sound because each writer sets
     * its {@link Scratch#writingFrom} (volatile) to the end it read before it reserves its bytes
     * with the atomic add, and back to {@code MAX_VALUE} only after it wrote them. A record
     * reserved below the end read here was reserved before that read (the end only grows), so its
     * writer's mark was set before too: read after, the mark is either still there (at most the
     * record's offset, so the answer stops before it) or cleared after the record was written,
     * which the volatile write and read order before this answer. Records are laid end to end
     * from the reserved ends, so no record straddles the answer.
     */
    public long committed() {
        long upTo = end.get();
        for (Scratch w : writers) upTo = Math.min(upTo, w.writingFrom);
        return upTo;
    }

    /**
     * Writes {@link #committed} to {@link #committedFile}, for a reader that follows the journal
     * while it grows (the coordinator checks as the load runs). The records below it are in the
     * page cache before this write's system call (they happen before it in this process, and the
     * file mapping and the page cache are the same pages); a reader that reads the offset, then
     * the journal, reads them whole. The offset is written with its complement, so a read that
     * meets a write half done is told apart and ignored.
     */
    public void publishCommitted() {
        long upTo = committed();
        synchronized (committedBytes) {
            committedBytes.clear();
            committedBytes.putLong(upTo).putLong(~upTo).flip();
            try {
                while (committedBytes.hasRemaining()) committedChannel.write(committedBytes, committedBytes.position());
            } catch (IOException e) {
                // the load goes on: the coordinator only reads more of this journal after it
            }
        }
    }

    /** Where a journal at {@code journal} says how far it is complete: a file beside it, 16 bytes. */
    public static Path committedFile(Path journal) {
        return journal.resolveSibling(journal.getFileName() + ".committed");
    }

    private Scratch newScratch() {
        Scratch s = new Scratch();
        writers.add(s);
        return s;
    }

    /** How many bytes the records take so far. */
    public long size() {
        return end.get();
    }

    private static void putNamed(Scratch s, Map<String, Long> figures) {
        s.putByte(figures.size());
        figures.forEach((name, value) -> {
            s.putString(name);
            s.putLong(value);
        });
    }

    private void append(Scratch s) {
        append(s, s);
    }

    /** {@code writer}: the calling thread's scratch, whose {@link Scratch#writingFrom} says where it writes. */
    private void append(Scratch s, Scratch writer) {
        int body = s.length;
        if (body > MAX_BODY) throw new IllegalArgumentException("a history record of " + body + " bytes is too long");
        int size = (FRAME + body + ALIGN - 1) & -ALIGN;
        writer.writingFrom = end.get(); // before the reservation: see committed()
        try {
            write(s, body, reserve(size));
        } finally {
            writer.writingFrom = Long.MAX_VALUE; // after the record's bytes: whoever reads this sees them
        }
    }

    private void write(Scratch s, int body, long at) {
        CRC32C crc = s.crc;
        crc.reset();
        crc.update(s.bytes, 0, body);
        Window w = enter((int) (at / windowBytes));
        try {
            MappedByteBuffer window = w.buffer;
            int offset = (int) (at % windowBytes);
            // The marker goes in last: until it is there, a reader sees zeros, not half a record.
            window.putShort(offset + 4, (short) body);
            window.put(offset + 6, s.bytes, 0, body);
            window.putInt(offset + 6 + body, (int) crc.getValue());
            window.putInt(offset, MARKER);
        } finally {
            leave(w);
        }
    }

    /** Reserves {@code size} bytes that do not cross a window boundary. */
    private long reserve(long size) {
        while (true) {
            long at = end.getAndAdd(size);
            if (at / windowBytes == (at + size - 1) / windowBytes) return at;
            // Crossed a boundary: the rest of this window and the little taken of the next stay a hole; reserve again
            // past it. The end only grows: committed() relies on it.
        }
    }

    /**
     * A mapped window and the writers in it. A window is retired (out of {@link #windows}) when
     * a newer one is mapped past the one after it; it is unmapped once retired and empty. A writer
     * counts itself in before it checks the retirement, the retirer marks it before it counts the
     * writers: one of them sees the other, so a window is never unmapped under a writer.
     */
    private static final class Window {
        final MappedByteBuffer buffer;
        final java.util.concurrent.atomic.AtomicInteger writers = new java.util.concurrent.atomic.AtomicInteger();
        volatile boolean retired;
        boolean unmapped; // under the journal's lock

        Window(MappedByteBuffer buffer) {
            this.buffer = buffer;
        }
    }

    /** The window {@code index}, with this writer counted in it until {@link #leave}. */
    private Window enter(int index) {
        Window w = windows.get(index);
        if (w != null) {
            w.writers.incrementAndGet();
            if (!w.retired) return w;
            leave(w);
        }
        synchronized (windows) {
            w = windows.get(index);
            boolean old = false;
            if (w == null) {
                old = windows.keySet().stream().anyMatch(i -> i > index + 1);
                try {
                    w = new Window(channel.map(FileChannel.MapMode.READ_WRITE, (long) index * windowBytes, windowBytes));
                } catch (IOException e) {
                    throw new UncheckedIOException("could not grow the history file", e);
                }
                if (old) {
                    w.retired = true; // a writer late into a window already retired: mapped again for it alone
                } else {
                    windows.put(index, w);
                    retireBelow(index - 1);
                }
            }
            w.writers.incrementAndGet();
            return w;
        }
    }

    private void leave(Window w) {
        if (w.writers.decrementAndGet() == 0 && w.retired) {
            synchronized (windows) {
                unmapIfEmpty(w);
            }
        }
    }

    /** Under the lock. */
    private void retireBelow(int index) {
        var it = windows.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            if (e.getKey() >= index) continue;
            it.remove();
            e.getValue().retired = true;
            unmapIfEmpty(e.getValue());
        }
    }

    /** Under the lock. */
    private static void unmapIfEmpty(Window w) {
        if (w.unmapped || w.writers.get() != 0) return;
        w.unmapped = true;
        Unmapper.unmap(w.buffer);
    }

    /** Trims the file to what was written, so a finished history takes no more room than its records. */
    @Override
    public void close() throws IOException {
        long written = end.get();
        synchronized (windows) {
            retireBelow(Integer.MAX_VALUE); // the writers are done: every window is unmapped; the data is in the page cache
        }
        channel.truncate(written);
        file.close();
        committedChannel.close();
    }

    private static String truncate(String s) {
        return s.length() > 2000 ? s.substring(0, 2000) + "..." : s;
    }

    /** One thread's buffer for encoding a record, reused for every record it writes. */
    private static final class Scratch {
        byte[] bytes = new byte[256];
        int length;
        final CRC32C crc = new CRC32C();
        /** While this thread writes a record: the journal's end as it was before the record was reserved; else MAX_VALUE. */
        volatile long writingFrom = Long.MAX_VALUE;

        void begin(int type) {
            length = 0;
            putByte(type);
        }

        void putByte(int b) {
            ensure(1);
            bytes[length++] = (byte) b;
        }

        void putLong(long v) {
            ensure(8);
            for (int i = 7; i >= 0; i--) bytes[length++] = (byte) (v >>> (i * 8));
        }

        /** Seven bits a byte, low first; the high bit says another byte follows. */
        void putVarLong(long v) {
            ensure(10);
            while ((v & ~0x7FL) != 0) {
                bytes[length++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            bytes[length++] = (byte) v;
        }

        /** A signed number as a varint, small magnitudes of either sign in few bytes. */
        void putZigZag(long v) {
            putVarLong((v << 1) ^ (v >> 63));
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
