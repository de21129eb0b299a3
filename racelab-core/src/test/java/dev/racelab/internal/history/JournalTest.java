package dev.racelab.internal.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racelab.core.Change;
import dev.racelab.core.FailReason;
import dev.racelab.core.Operation;
import dev.racelab.core.Outcome;
import dev.racelab.core.Status;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A streamed history reads back whole, and as the records before the cut when its worker died mid-write. */
class JournalTest {
    private static Operation op(int thread, long seq) {
        long id = ((long) thread << 32) | seq;
        return new Operation(id, List.of(new Change("run-1/counter:1", 1)), Operation.NO_FLOOR);
    }

    @Test
    void aFinishedJournalReadsBackEveryOperationAndItsSummary(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("h.bin");
        try (Journal j = Journal.create(file, 3)) {
            for (int i = 0; i < 100; i++) {
                j.invoked(op(0, i), 1_000 + i);
                j.completed(op(0, i).id(), 2_000 + i, i % 10 == 0 ? Outcome.fail(FailReason.CONFLICT) : Outcome.ok().withRetries(i % 3));
            }
            j.summary(5_000, 2, "boom", 10, 5);
        }
        JournalReader.Contents c = JournalReader.read(file);
        assertThat(c.instance()).isEqualTo(3);
        assertThat(c.history()).hasSize(100);
        assertThat(c.inFlight()).isZero();
        assertThat(c.history()).filteredOn(r -> r.status() == Status.FAIL).hasSize(10).allMatch(r -> r.reason() == FailReason.CONFLICT);
        assertThat(c.history().get(5).retries()).isEqualTo(2);
        assertThat(c.summary()).isNotNull();
        assertThat(c.summary().firstError()).isEqualTo("boom");
        assertThat(c.nextSeq()).containsEntry(0, 100L);
    }

    /**
     * A worker killed while writing its last record: the file cut at every byte offset of that
     * record reads as exactly the records before it, and the invoked operation it leaves without
     * an answer is unknown.
     */
    @Test
    void aJournalCutAtEveryByteOfItsLastRecordReadsAsTheRecordsBeforeIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("h.bin");
        Journal j = Journal.create(file, 0);
        j.invoked(op(0, 0), 10);
        j.completed(op(0, 0).id(), 20, Outcome.ok());
        j.invoked(op(0, 1), 30);
        long beforeLast = recordsEnd(file);
        j.completed(op(0, 1).id(), 40, Outcome.ok());
        j.close();
        byte[] whole = Files.readAllBytes(file);
        // The last record proper ends with its checksum; the padding after it holds nothing.
        long afterLast = beforeLast + Journal.FRAME + java.nio.ByteBuffer.wrap(whole).getShort((int) beforeLast + 4);
        assertThat(afterLast).isGreaterThan(beforeLast);
        for (long cut = beforeLast; cut < afterLast; cut++) {
            Path cutFile = dir.resolve("cut-" + cut + ".bin");
            Files.write(cutFile, java.util.Arrays.copyOf(whole, (int) cut));
            JournalReader.Contents c = JournalReader.read(cutFile);
            assertThat(c.history()).as("cut at byte " + cut).hasSize(2);
            assertThat(c.history().get(0).status()).isEqualTo(Status.OK);
            assertThat(c.history().get(1).status()).as("the operation whose answer was cut off").isEqualTo(Status.UNKNOWN);
            assertThat(c.inFlight()).isEqualTo(1);
        }
        JournalReader.Contents full = JournalReader.read(file);
        assertThat(full.history()).extracting(OpRecord::status).containsExactly(Status.OK, Status.OK);
    }

    @Test
    void aHoleLeftByAThreadKilledBetweenReservingAndWritingIsSkipped(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("h.bin");
        try (Journal j = Journal.create(file, 0)) {
            j.invoked(op(0, 0), 10);
            j.invoked(op(1, 0), 11);
            j.completed(op(0, 0).id(), 20, Outcome.ok());
            j.completed(op(1, 0).id(), 21, Outcome.ok());
        }
        // Zero the second invoke whole, as a thread that reserved it and died before copying it in leaves it
        // (record 0 defines the cell key, 1 is the first invoke).
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            long second = nthRecordStart(file, 2);
            long third = nthRecordStart(file, 3);
            raf.seek(second);
            raf.write(new byte[(int) (third - second)]);
        }
        JournalReader.Contents c = JournalReader.read(file);
        assertThat(c.history()).extracting(OpRecord::id).containsExactly(op(0, 0).id());
    }

    @Test
    void manyThreadsAppendAtOnceAndEveryRecordReadsBack(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("h.bin");
        int threads = 8;
        int each = 5_000;
        CyclicBarrier start = new CyclicBarrier(threads);
        try (Journal j = Journal.create(file, 0)) {
            List<Thread> running = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                running.add(Thread.ofPlatform().start(() -> {
                    try {
                        start.await();
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                    for (int i = 0; i < each; i++) {
                        j.invoked(op(thread, i), i);
                        j.completed(op(thread, i).id(), i + 1, Outcome.ok());
                    }
                }));
            }
            for (Thread t : running) t.join();
        }
        JournalReader.Contents c = JournalReader.read(file);
        assertThat(c.history()).hasSize(threads * each).allMatch(r -> r.status() == Status.OK);
        for (int t = 0; t < threads; t++) assertThat(c.nextSeq()).containsEntry(t, (long) each);
    }

    /**
     * Threads writing across several windows at once (old windows unmapped as the file grows,
     * never under a writer) leave every record readable, in 48 bytes an operation.
     */
    @Test
    void manyThreadsWritingAcrossWindowsLeaveEveryRecordIn48BytesAnOperation(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("h.bin");
        int threads = 8;
        int each = 50_000;
        int window = 1 << 20; // 1 MB windows: the 19 MB of records cross many
        CyclicBarrier start = new CyclicBarrier(threads);
        try (Journal j = Journal.create(file, 0, window)) {
            List<Thread> running = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                running.add(Thread.ofPlatform().start(() -> {
                    try {
                        start.await();
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                    for (int i = 0; i < each; i++) {
                        long now = System.nanoTime();
                        j.invoked(op(thread, i), now);
                        j.completed(op(thread, i).id(), now + 50_000, Outcome.ok());
                    }
                }));
            }
            for (Thread t : running) t.join();
        }
        long ops = (long) threads * each;
        long windows = Files.size(file) / window;
        assertThat(windows).as("many windows").isGreaterThan(10);
        assertThat(Files.size(file)).as("48 bytes an operation, give or take each window's unused tail")
                .isLessThan(ops * 48 + windows * 24 + 4096);
        long[] perThread = new long[threads];
        long[] first = {Long.MAX_VALUE};
        JournalReader.Contents c = JournalReader.scan(file, r -> {
            assertThat(r.status()).isEqualTo(Status.OK);
            perThread[(int) (r.id() >>> 32)]++;
            first[0] = Math.min(first[0], r.invokeNanos());
        });
        assertThat(c.operations()).isEqualTo(ops);
        assertThat(c.inFlight()).isZero();
        assertThat(perThread).containsOnly(each);
        assertThat(JournalReader.firstInvokeNanos(file, threads)).as("each thread's first invoke is its earliest").isEqualTo(first[0]);
    }

    /** Where the records end: the last non-zero byte, rounded up to the record alignment. */
    private static long recordsEnd(Path file) throws Exception {
        byte[] b = Files.readAllBytes(file);
        int last = b.length - 1;
        while (last >= 0 && b[last] == 0) last--;
        return ((last + 1) + Journal.ALIGN - 1) & -Journal.ALIGN;
    }

    private static long nthRecordStart(Path file, int n) throws Exception {
        byte[] b = Files.readAllBytes(file);
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(b);
        int p = Journal.HEADER;
        for (int i = 0; i < n; i++) {
            int body = Short.toUnsignedInt(buf.getShort(p + 4));
            p += (Journal.FRAME + body + Journal.ALIGN - 1) & -Journal.ALIGN;
        }
        return p;
    }
}
