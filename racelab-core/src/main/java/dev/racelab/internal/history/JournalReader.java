package dev.racelab.internal.history;

import dev.racelab.core.Change;
import dev.racelab.core.FailReason;
import dev.racelab.core.Status;
import dev.racelab.core.StrategyStats;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * Reads a {@link Journal} back, whole or cut short by a killed worker: every complete record,
 * in file order, skipping holes and a torn last record. An operation invoked and never
 * completed is UNKNOWN, as Jepsen counts a crashed client's operation in flight: it may or may
 * not have reached the store.
 *
 * <p>{@link #scan} hands each operation to a consumer as its complete record is read, and the
 * ones never completed at the end: it holds only the operations in flight and the journal's
 * keys, so a journal of any length reads in bounded memory. It reads through a small buffer, not
 * a mapping, so neither does the reader's resident memory grow with the file.
 */
public final class JournalReader {
    /** Read at a time; a multiple of the alignment, and far above the longest record. */
    private static final int CHUNK = 1 << 20;
    private static final int LONGEST_RECORD = Journal.FRAME + Journal.MAX_BODY + Journal.ALIGN;

    private JournalReader() {
    }

    /**
     * What one journal holds. {@code history} is empty when the journal was {@link #scan scanned};
     * {@code summary} is null when the worker died before writing it; {@code operations} counts
     * every operation invoked, {@code inFlight} those never completed; {@code nextSeq} is, per
     * thread, the first sequence number it never invoked (what a replacement resumes at);
     * {@code stats} are the strategy's latest figures written (none when it counts nothing).
     */
    public record Contents(int instance, List<OpRecord> history, WorkerReport summary, long operations, long inFlight,
                           Map<Integer, Long> nextSeq, long firstInvokeNanos, long lastCompleteNanos, StrategyStats stats) {
        /** Operations the worker saw answered. */
        public long completed() {
            return operations - inFlight;
        }
    }

    private record Invoke(long id, long invokeNanos, List<Change> changes, String guard, boolean releasesGuard) {
    }

    /** The whole journal, its history in a list: for histories that fit in memory (tests, tools). */
    public static Contents read(Path path) throws IOException {
        List<OpRecord> history = new ArrayList<>();
        Contents c = scan(path, history::add);
        return new Contents(c.instance(), history, c.summary(), c.operations(), c.inFlight(), c.nextSeq(), c.firstInvokeNanos(),
                c.lastCompleteNanos(), c.stats());
    }

    /**
     * One pass over the journal: each operation to {@code sink} when its complete record is read,
     * then those never completed, as UNKNOWN, in the order they were invoked.
     */
    public static Contents scan(Path path, Consumer<OpRecord> sink) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            return new Scan(path, channel, sink).run();
        }
    }

    /** The smallest invoke time in the journal: each thread's first invoke is its earliest, so it stops once every thread has been seen. */
    public static long firstInvokeNanos(Path path, int threads) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            Scan scan = new Scan(path, channel, op -> { });
            scan.stopAfterThreads = threads;
            Contents c = scan.run();
            return c.operations() == 0 ? Long.MAX_VALUE : c.firstInvokeNanos();
        }
    }

    /**
     * {@link #firstInvokeNanos} from the records below {@code upTo} only (a journal still being
     * written, up to its {@link #committed} offset): empty until each of the {@code threads} has
     * invoked there.
     */
    public static java.util.OptionalLong firstInvokeNanos(Path path, int threads, long upTo) throws IOException {
        if (upTo < Journal.HEADER) return java.util.OptionalLong.empty();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            Scan scan = new Scan(path, channel, op -> { });
            scan.stopAfterThreads = threads;
            scan.readUpTo(upTo);
            return scan.nextSeq.size() >= threads ? java.util.OptionalLong.of(scan.first) : java.util.OptionalLong.empty();
        }
    }

    /**
     * How far a journal still being written is complete, as its worker last published it
     * ({@link Journal#publishCommitted}); 0 before it did (or when it writes none).
     */
    public static long committed(Path journal) {
        try (FileChannel channel = FileChannel.open(Journal.committedFile(journal), StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(16);
            while (b.hasRemaining() && channel.read(b, b.position()) > 0) {
                // reads the 16 bytes
            }
            if (b.hasRemaining()) return 0;
            long upTo = b.getLong(0);
            return b.getLong(8) == ~upTo ? upTo : 0; // a write half done reads as nothing new
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * A journal read while its worker writes it, a stretch at a time: {@link #advance} reads the
     * records below a {@link #committed} offset, handing each operation to the sink as its complete
     * record is read; {@link #finish} reads the rest once the worker has ended, then the
     * operations never completed. The operations and their order are those one {@link #scan} of
     * the finished file gives: below a committed offset every record is whole and every gap is
     * final, so each stretch reads as it would in one pass.
     */
    public static final class Tail implements AutoCloseable {
        private final FileChannel channel;
        private final Scan scan;

        private Tail(Path path, FileChannel channel) {
            this.channel = channel;
            this.scan = new Scan(path, channel, null);
        }

        public static Tail open(Path path) throws IOException {
            return new Tail(path, FileChannel.open(path, StandardOpenOption.READ));
        }

        /** The records below {@code upTo} not read yet; nothing when it is not past what was read. */
        public void advance(long upTo, Consumer<OpRecord> sink) throws IOException {
            scan.sink = sink;
            scan.readUpTo(upTo);
        }

        /** Where the next stretch starts. */
        public long position() {
            return scan.p;
        }

        /** The rest of the file (its worker has ended), then the operations never completed; closes the file. */
        public Contents finish(Consumer<OpRecord> sink) throws IOException {
            try (channel) {
                scan.sink = sink;
                return scan.finish(channel.size());
            }
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    private static final class Scan {
        private final Path path;
        private final FileChannel channel;
        private Consumer<OpRecord> sink;
        private final ByteBuffer buf = ByteBuffer.allocate(CHUNK);
        private final CRC32C crc = new CRC32C();
        private final Map<Long, Invoke> open = new LinkedHashMap<>();
        private final Map<Integer, Long> nextSeq = new HashMap<>();
        private final List<String> keyNames = new ArrayList<>();
        private final Map<Long, List<Change>> singles = new HashMap<>(); // (key index, delta) -> List.of(change): a run repeats a few
        private long bufStart;
        private int bufLength;
        private int stopAfterThreads = Integer.MAX_VALUE;
        private boolean headerRead;
        private int instance;
        private long base;
        private WorkerReport summary;
        private StrategyStats stats = StrategyStats.NONE;
        private long first = Long.MAX_VALUE;
        private long last = Long.MIN_VALUE;
        private long operations;
        /** The next record's offset. */
        private long p = Journal.HEADER;

        Scan(Path path, FileChannel channel, Consumer<OpRecord> sink) {
            this.path = path;
            this.channel = channel;
            this.sink = sink;
        }

        Contents run() throws IOException {
            return finish(channel.size());
        }

        /** Reads to {@code size}, the file's end, then hands over the operations never completed. */
        Contents finish(long size) throws IOException {
            if (size < Journal.HEADER) throw new IOException(path + " is too short to be a racelab history");
            readUpTo(size);
            long inFlight = open.size();
            for (Invoke inv : open.values()) {
                sink.accept(new OpRecord(inv.id(), inv.changes(), inv.guard(), inv.releasesGuard(), inv.invokeNanos(),
                        Math.max(inv.invokeNanos(), last), Status.UNKNOWN, null, 0));
            }
            open.clear();
            return new Contents(instance, List.of(), summary, operations, inFlight, nextSeq, first == Long.MAX_VALUE ? 0 : first,
                    last == Long.MIN_VALUE ? 0 : last, stats);
        }

        private void readHeader(long size) throws IOException {
            load(0, size);
            if (buf.getInt(0) != Journal.FILE_MAGIC) throw new IOException(path + " is not a racelab history file");
            instance = buf.getInt(4);
            base = buf.getLong(8);
            headerRead = true;
        }

        /**
         * The records from {@link #p} up to {@code size}, which is the file's end or a committed
         * offset: the buffer never holds bytes past it, so what lies beyond is read when it is whole.
         */
        void readUpTo(long size) throws IOException {
            if (size < Journal.HEADER) return;
            if (!headerRead) readHeader(size);
            while (p + Journal.FRAME <= size) {
                if (p + Math.min(LONGEST_RECORD, size - p) > bufStart + bufLength) load(p, size);
                int at = (int) (p - bufStart);
                int body = validBody(at, p, size);
                if (body < 0) {
                    p += Journal.ALIGN; // a hole, or a record cut short: nothing is there
                    continue;
                }
                ByteBuffer b = buf.slice(at + 6, body);
                int head = Byte.toUnsignedInt(b.get());
                int type = head & Journal.TYPE_MASK;
                if (type == Journal.INVOKE) {
                    long id = readId(b, head, instance);
                    long invokeNanos = base + readZigZag(b);
                    List<Change> changes = readChanges(b);
                    String guard = (head & Journal.HAS_GUARD) != 0 ? readString(b) : null;
                    open.put(id, new Invoke(id, invokeNanos, changes, guard, (head & Journal.RELEASES_GUARD) != 0));
                    operations++;
                    first = Math.min(first, invokeNanos);
                    int thread = (int) ((id >>> 32) & 0xFFFF);
                    nextSeq.merge(thread, (id & 0xFFFF_FFFFL) + 1, Math::max);
                    if (nextSeq.size() >= stopAfterThreads) break;
                } else if (type == Journal.COMPLETE) {
                    long id = readId(b, head, instance);
                    long completeNanos = base + readZigZag(b);
                    Status status = Status.values()[head >>> Journal.STATUS_SHIFT & 0x3];
                    FailReason reason = status == Status.FAIL ? FailReason.values()[b.get()] : null;
                    int retries = (int) readVarLong(b);
                    Invoke inv = open.remove(id);
                    if (inv != null) {
                        sink.accept(new OpRecord(id, inv.changes(), inv.guard(), inv.releasesGuard(), inv.invokeNanos(),
                                completeNanos, status, reason, retries));
                        last = Math.max(last, completeNanos);
                    }
                } else if (type == Journal.KEY) {
                    int index = (int) readVarLong(b);
                    while (keyNames.size() <= index) keyNames.add(null);
                    keyNames.set(index, readString(b));
                } else if (type == Journal.SUMMARY) {
                    summary = new WorkerReport(instance, b.getLong(), b.getLong(), readString(b), b.getLong(), b.getLong(), List.of());
                } else if (type == Journal.STATS) {
                    stats = latest(stats, new StrategyStats(readNamed(b), readNamed(b)));
                }
                p += (Journal.FRAME + body + Journal.ALIGN - 1) & -Journal.ALIGN;
            }
        }

        /** Fills the buffer from {@code from}: as much as it holds, or up to {@code size}. */
        private void load(long from, long size) throws IOException {
            buf.clear().limit((int) Math.min(CHUNK, size - from)); // never past size: what lies beyond may not be written yet
            long pos = from;
            while (buf.hasRemaining() && pos < size) {
                int n = channel.read(buf, pos);
                if (n < 0) break;
                pos += n;
            }
            bufStart = from;
            bufLength = buf.position();
        }

        /** The body length of a whole, uncorrupted record at {@code at} (file offset {@code p}); -1 when there is none. */
        private int validBody(int at, long p, long size) {
            if (at + Journal.FRAME > bufLength || buf.getInt(at) != Journal.MARKER) return -1;
            int body = Short.toUnsignedInt(buf.getShort(at + 4));
            long windowEnd = Math.min(size, (p / Journal.WINDOW + 1) * Journal.WINDOW); // a record never spans two windows
            if (body == 0 || p + Journal.FRAME + body > windowEnd || at + Journal.FRAME + body > bufLength) return -1;
            crc.reset();
            crc.update(buf.array(), at + 6, body);
            return (int) crc.getValue() == buf.getInt(at + 6 + body) ? body : -1;
        }

        private List<Change> readChanges(ByteBuffer b) throws IOException {
            int count = (int) readVarLong(b);
            if (count == 1) {
                int key = (int) readVarLong(b);
                long delta = readZigZag(b);
                String name = keyName(key);
                long both = ((long) key << 32) ^ delta;
                List<Change> shared = singles.get(both);
                if (shared == null || !shared.get(0).key().equals(name) || shared.get(0).delta() != delta) {
                    shared = List.of(new Change(name, delta));
                    if (singles.size() < 100_000) singles.put(both, shared);
                }
                return shared;
            }
            List<Change> changes = new ArrayList<>(count);
            for (int i = 0; i < count; i++) changes.add(new Change(keyName((int) readVarLong(b)), readZigZag(b)));
            return changes;
        }

        private String keyName(int index) throws IOException {
            String name = index < keyNames.size() ? keyNames.get(index) : null;
            if (name == null) throw new IOException(path + " names a cell key it never defined (index " + index + ")");
            return name;
        }
    }

    private static long readId(ByteBuffer b, int head, int instance) {
        long top = (head & Journal.FOREIGN_ID) != 0 ? readVarLong(b) : instance;
        long thread = readVarLong(b);
        long seq = readVarLong(b);
        return (top << 48) | (thread << 32) | seq;
    }

    static long readVarLong(ByteBuffer b) {
        long v = 0;
        for (int shift = 0; ; shift += 7) {
            int x = b.get();
            v |= (long) (x & 0x7F) << shift;
            if ((x & 0x80) == 0) return v;
        }
    }

    static long readZigZag(ByteBuffer b) {
        long v = readVarLong(b);
        return (v >>> 1) ^ -(v & 1);
    }

    /**
     * Every figure only grows while a worker runs, and the progress thread may write its last
     * record just after the final one: the largest value of each figure is the latest.
     */
    private static StrategyStats latest(StrategyStats a, StrategyStats b) {
        Map<String, Long> sums = new HashMap<>(a.sums());
        b.sums().forEach((k, v) -> sums.merge(k, v, Math::max));
        Map<String, Long> maxima = new HashMap<>(a.maxima());
        b.maxima().forEach((k, v) -> maxima.merge(k, v, Math::max));
        return new StrategyStats(sums, maxima);
    }

    private static Map<String, Long> readNamed(ByteBuffer b) {
        int count = Byte.toUnsignedInt(b.get());
        Map<String, Long> figures = new HashMap<>();
        for (int i = 0; i < count; i++) figures.put(readString(b), b.getLong());
        return figures;
    }

    private static String readString(ByteBuffer b) {
        int length = Short.toUnsignedInt(b.getShort());
        byte[] bytes = new byte[length];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
