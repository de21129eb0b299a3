package dev.racelab.internal.history;

import dev.racelab.core.Change;
import dev.racelab.core.FailReason;
import dev.racelab.core.Status;
import dev.racelab.core.StrategyStats;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Reads a {@link Journal} back, whole or cut short by a killed worker: every complete record,
 * in file order, skipping holes and a torn last record. An operation invoked and never
 * completed is UNKNOWN, as Jepsen counts a crashed client's operation in flight: it may or may
 * not have reached the store.
 */
public final class JournalReader {
    private JournalReader() {
    }

    /**
     * What one journal holds. {@code summary} is null when the worker died before writing it;
     * {@code inFlight} counts the operations it invoked and never completed; {@code nextSeq}
     * is, per thread, the first sequence number it never invoked (what a replacement resumes at);
     * {@code stats} are the strategy's latest figures written (none when it counts nothing).
     */
    public record Contents(int instance, List<OpRecord> history, WorkerReport summary, long inFlight,
                           Map<Integer, Long> nextSeq, long firstInvokeNanos, long lastCompleteNanos, StrategyStats stats) {
    }

    private record Invoke(long id, long invokeNanos, List<Change> changes, String guard, boolean releasesGuard) {
    }

    public static Contents read(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < Journal.HEADER) throw new IOException(path + " is too short to be a racelab history");
            Map<Long, Invoke> open = new LinkedHashMap<>();
            List<OpRecord> history = new ArrayList<>();
            Map<Integer, Long> nextSeq = new HashMap<>();
            WorkerReport summary = null;
            StrategyStats stats = StrategyStats.NONE;
            int instance = -1;
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            CRC32C crc = new CRC32C();
            Map<Change, List<Change>> shared = new HashMap<>(); // a run repeats a few changes millions of times
            for (long start = 0; start < size; start += Journal.WINDOW) {
                MappedByteBuffer w = channel.map(FileChannel.MapMode.READ_ONLY, start, Math.min(Journal.WINDOW, size - start));
                int p = 0;
                if (start == 0) {
                    if (w.getInt(0) != Journal.FILE_MAGIC) throw new IOException(path + " is not a racelab history file");
                    instance = w.getInt(4);
                    p = Journal.HEADER;
                }
                while (p + Journal.FRAME <= w.limit()) {
                    int body = validBody(w, p, crc);
                    if (body < 0) {
                        p += Journal.ALIGN; // a hole, or a record cut short: nothing is there
                        continue;
                    }
                    ByteBuffer b = w.slice(p + 6, body);
                    byte type = b.get();
                    if (type == Journal.INVOKE) {
                        Invoke inv = readInvoke(b, shared);
                        open.put(inv.id(), inv);
                        first = Math.min(first, inv.invokeNanos());
                        int thread = (int) ((inv.id() >>> 32) & 0xFFFF);
                        long seq = inv.id() & 0xFFFF_FFFFL;
                        nextSeq.merge(thread, seq + 1, Math::max);
                    } else if (type == Journal.COMPLETE) {
                        long id = b.getLong();
                        long completeNanos = b.getLong();
                        Status status = Status.values()[b.get()];
                        int reason = b.get();
                        int retries = b.getInt();
                        Invoke inv = open.remove(id);
                        if (inv != null) {
                            history.add(new OpRecord(id, inv.changes(), inv.guard(), inv.releasesGuard(), inv.invokeNanos(),
                                    completeNanos, status, reason < 0 ? null : FailReason.values()[reason], retries));
                            last = Math.max(last, completeNanos);
                        }
                    } else if (type == Journal.SUMMARY) {
                        summary = new WorkerReport(instance, b.getLong(), b.getLong(), readString(b), b.getLong(), b.getLong(), List.of());
                    } else if (type == Journal.STATS) {
                        stats = latest(stats, new StrategyStats(readNamed(b), readNamed(b)));
                    }
                    p += (Journal.FRAME + body + Journal.ALIGN - 1) & -Journal.ALIGN;
                }
            }
            for (Invoke inv : open.values()) {
                history.add(new OpRecord(inv.id(), inv.changes(), inv.guard(), inv.releasesGuard(), inv.invokeNanos(),
                        Math.max(inv.invokeNanos(), last), Status.UNKNOWN, null, 0));
            }
            return new Contents(instance, history, summary, open.size(), nextSeq, first == Long.MAX_VALUE ? 0 : first,
                    last == Long.MIN_VALUE ? 0 : last, stats);
        }
    }

    /** The body length of a whole, uncorrupted record at {@code p}; -1 when there is none. */
    private static int validBody(MappedByteBuffer w, int p, CRC32C crc) {
        if (w.getInt(p) != Journal.MARKER) return -1;
        int body = Short.toUnsignedInt(w.getShort(p + 4));
        if (body == 0 || p + Journal.FRAME + body > w.limit()) return -1;
        crc.reset();
        crc.update(w.slice(p + 6, body));
        return (int) crc.getValue() == w.getInt(p + 6 + body) ? body : -1;
    }

    private static Invoke readInvoke(ByteBuffer b, Map<Change, List<Change>> shared) {
        long id = b.getLong();
        long invokeNanos = b.getLong();
        int count = Byte.toUnsignedInt(b.get());
        List<Change> changes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) changes.add(new Change(readString(b), b.getLong()));
        if (count == 1) changes = shared.computeIfAbsent(changes.get(0), List::of);
        String guard = readString(b);
        boolean releases = b.get() != 0;
        return new Invoke(id, invokeNanos, changes, guard.isEmpty() ? null : guard, releases);
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
