package dev.racelab.internal.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racelab.core.Change;
import dev.racelab.core.FailReason;
import dev.racelab.core.Operation;
import dev.racelab.core.Outcome;
import dev.racelab.core.Status;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A journal followed while its threads write it (up to the offset they last published as
 * complete, then the rest once they ended) gives what one pass over the finished file gives: the
 * same operations in the same order, the same figures; also when its worker was killed mid-record.
 */
class JournalTailTest {
    private static Operation op(int thread, long seq) {
        long id = ((long) thread << 32) | seq;
        return new Operation(id, List.of(new Change("run-1/counter:" + (seq % 3), seq % 2 == 0 ? 1 : -1)), Operation.NO_FLOOR);
    }

    @Test
    void aJournalFollowedWhileSeveralThreadsWriteItReadsAsOnePassAfterItsEnd(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("h.bin");
        int threads = 4;
        int each = 20_000;
        List<OpRecord> tailed = new ArrayList<>();
        Journal j = Journal.create(file, 0, 1 << 20); // 1 MB windows: the writers cross many while the reader follows
        try (JournalReader.Tail tail = JournalReader.Tail.open(file)) {
            // an operation invoked now and completed at the end: its invoke is read long before its complete
            j.invoked(op(9, 0), 100);
            j.invoked(op(8, 0), 101);
            j.completed(op(8, 0).id(), 150, Outcome.ok());
            j.publishCommitted();
            tail.advance(JournalReader.committed(file), tailed::add);
            assertThat(tailed).extracting(OpRecord::id).containsExactly(op(8, 0).id());

            CyclicBarrier start = new CyclicBarrier(threads + 1);
            CyclicBarrier half = new CyclicBarrier(threads + 1);
            List<Thread> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                writers.add(Thread.ofPlatform().start(() -> {
                    try {
                        start.await();
                        for (int i = 0; i < each; i++) {
                            if (i == each / 2) half.await(); // every writer stops here once, so the reader's moment is known
                            long now = 1_000 + i * 10L;
                            j.invoked(op(thread, i), now);
                            j.completed(op(thread, i).id(), now + 5 + thread,
                                    i % 7 == 0 ? Outcome.fail(FailReason.CONFLICT) : Outcome.ok().withRetries(i % 3));
                        }
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                }));
            }
            AtomicBoolean written = new AtomicBoolean();
            int[] atHalf = {-1};
            int[] passes = {0};
            Thread reader = Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                    while (!written.get()) {
                        if (atHalf[0] < 0 && half.getNumberWaiting() == threads) {
                            // every writer waits at its half: all they wrote is complete, and is read now
                            j.publishCommitted();
                            tail.advance(JournalReader.committed(file), tailed::add);
                            atHalf[0] = tailed.size();
                            half.await();
                        }
                        j.publishCommitted(); // as a worker's progress thread does, while its threads write
                        tail.advance(JournalReader.committed(file), tailed::add);
                        passes[0]++;
                    }
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            for (Thread w : writers) w.join();
            written.set(true);
            reader.join();
            assertThat(atHalf[0]).as("at the writers' half, what they had written").isEqualTo(1 + threads * (each / 2));
            assertThat(passes[0]).as("passes of the reader as the writers wrote").isGreaterThan(1);

            j.completed(op(9, 0).id(), 999_999, Outcome.ok());
            j.invoked(op(9, 1), 1_000_000); // never completed: unknown, after the end
            j.summary(5_000, 0, "", 10, 5);
            j.publishCommitted();
            tail.advance(JournalReader.committed(file), tailed::add);
            assertThat(tailed).last().extracting(OpRecord::id, OpRecord::status).containsExactly(op(9, 0).id(), Status.OK);
            j.close();
            JournalReader.Contents followed = tail.finish(tailed::add);

            List<OpRecord> onePass = new ArrayList<>();
            JournalReader.Contents whole = JournalReader.scan(file, onePass::add);
            assertThat(onePass).hasSize(2 + threads * each + 1);
            assertThat(tailed).isEqualTo(onePass);
            assertThat(followed.operations()).isEqualTo(whole.operations());
            assertThat(followed.inFlight()).isEqualTo(whole.inFlight()).isEqualTo(1);
            assertThat(followed.nextSeq()).isEqualTo(whole.nextSeq());
            assertThat(followed.firstInvokeNanos()).isEqualTo(whole.firstInvokeNanos());
            assertThat(followed.lastCompleteNanos()).isEqualTo(whole.lastCompleteNanos());
            assertThat(followed.summary()).isEqualTo(whole.summary()).isNotNull();
        }
    }

    /**
     * The worker killed as it wrote its last record: followed up to what it published, then read
     * to the end of what it left (a torn record, and the rest of its window zeros), the journal
     * gives what one pass gives, its half-answered operation unknown.
     */
    @Test
    void aKilledWritersJournalFollowedThenFinishedReadsAsOnePass(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("h.bin");
        List<OpRecord> tailed = new ArrayList<>();
        Journal j = Journal.create(file, 2);
        try (JournalReader.Tail tail = JournalReader.Tail.open(file)) {
            j.invoked(op(0, 0), 10);
            j.completed(op(0, 0).id(), 20, Outcome.ok());
            j.invoked(op(0, 1), 30);
            j.invoked(op(1, 0), 31);
            j.publishCommitted();
            tail.advance(JournalReader.committed(file), tailed::add);
            assertThat(tailed).extracting(OpRecord::id).containsExactly(op(0, 0).id());

            j.completed(op(1, 0).id(), 40, Outcome.ok());
            long lastStart = j.size();
            j.completed(op(0, 1).id(), 50, Outcome.ok());
            // killed mid-copy: the record's marker is in, the end of its body and its checksum are not
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.seek(lastStart + 8);
                raf.write(new byte[(int) (j.size() - lastStart - 8)]);
            }
            // the worker is gone: no close, so its file keeps the whole mapped window, zeros after the records
            JournalReader.Contents followed = tail.finish(tailed::add);

            List<OpRecord> onePass = new ArrayList<>();
            JournalReader.Contents whole = JournalReader.scan(file, onePass::add);
            assertThat(tailed).isEqualTo(onePass);
            assertThat(tailed).extracting(OpRecord::id, OpRecord::status).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(op(0, 0).id(), Status.OK),
                    org.assertj.core.groups.Tuple.tuple(op(1, 0).id(), Status.OK),
                    org.assertj.core.groups.Tuple.tuple(op(0, 1).id(), Status.UNKNOWN));
            assertThat(followed.inFlight()).isEqualTo(whole.inFlight()).isEqualTo(1);
            assertThat(followed.nextSeq()).isEqualTo(whole.nextSeq());
        } finally {
            j.close();
        }
    }

    /** Nothing is read past what the writers published: an offset that is not yet complete is never read. */
    @Test
    void aFollowerReadsNothingBeyondTheCommittedOffset(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("h.bin");
        List<OpRecord> tailed = new ArrayList<>();
        try (Journal j = Journal.create(file, 0); JournalReader.Tail tail = JournalReader.Tail.open(file)) {
            j.invoked(op(0, 0), 10);
            j.publishCommitted();
            long published = JournalReader.committed(file);
            j.completed(op(0, 0).id(), 20, Outcome.ok()); // written, not yet published
            tail.advance(published, tailed::add);
            assertThat(tailed).isEmpty();
            assertThat(tail.position()).isLessThanOrEqualTo(published);
            j.publishCommitted();
            assertThat(JournalReader.committed(file)).isEqualTo(j.size());
            tail.advance(JournalReader.committed(file), tailed::add);
            assertThat(tailed).extracting(OpRecord::status).containsExactly(Status.OK);
        }
    }
}
