package dev.racelab.internal.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racelab.core.Cell;
import dev.racelab.core.Change;
import dev.racelab.core.FailReason;
import dev.racelab.core.Operation;
import dev.racelab.core.Outcome;
import dev.racelab.internal.check.StreamingChecker;
import dev.racelab.internal.check.Verdict;
import dev.racelab.internal.history.Journal;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run's journals checked as they are written (two workers, one killed mid-record and
 * replaced by a third journal) give the check and the figures one read after the load gives:
 * the same counts, histogram, series and verdict.
 */
class LiveCheckTest {
    private static final int THREADS = 2;
    private static final List<Cell> CELLS = List.of(new Cell("run-live/a", 1_000, 0), new Cell("run-live/b", 1_000, 0));

    private static Operation op(int instance, int thread, long seq) {
        long id = ((long) instance << 48) | ((long) thread << 32) | seq;
        String guard = seq % 5 == 0 ? "run-live/order-" + instance + "-" + thread + "-" + seq : null;
        return new Operation(id, List.of(new Change(CELLS.get((int) (seq % 2)).key(), seq % 3 == 0 ? -2 : 3)), Operation.NO_FLOOR, guard);
    }

    /** {@code count} operations of each thread from {@code from}, answered a few microseconds to milliseconds later. */
    private static void write(Journal j, int instance, long from, int count) {
        for (long seq = from; seq < from + count; seq++) {
            for (int t = 0; t < THREADS; t++) {
                long now = System.nanoTime();
                j.invoked(op(instance, t, seq), now);
                j.completed(op(instance, t, seq).id(), now + 1_000 * (seq % 1_000 + 1),
                        seq % 7 == 0 ? Outcome.fail(FailReason.CONFLICT) : Outcome.ok().withRetries((int) (seq % 3)));
            }
        }
    }

    @Test
    void journalsCheckedAsTheyAreWrittenGiveWhatOneReadAfterTheLoadGives(@TempDir Path dir) throws Exception {
        Path a = dir.resolve("a.bin");
        Path b = dir.resolve("b.bin");
        Path c = dir.resolve("c.bin");
        boolean[] aEnded = {false};
        List<LiveCheck.Followed> journals = new CopyOnWriteArrayList<>();
        StreamingChecker live = new StreamingChecker(CELLS);
        LiveCheck check = new LiveCheck(() -> List.copyOf(journals), THREADS, live);
        Journal ja = Journal.create(a, 0);
        Journal jb = Journal.create(b, 1);
        try {
            journals.add(new LiveCheck.Followed(a, () -> aEnded[0]));
            journals.add(new LiveCheck.Followed(b, () -> false));

            // the time zero is not known until every journal shows each of its threads: nothing is fed before
            ja.invoked(op(0, 0, 0), System.nanoTime());
            ja.publishCommitted();
            jb.publishCommitted();
            check.pass();
            assertThat(check.fedLive()).isZero();

            ja.completed(op(0, 0, 0).id(), System.nanoTime(), Outcome.ok());
            write(ja, 0, 1, 200);
            write(jb, 1, 0, 300);
            jb.invoked(op(1, 1, 300), System.nanoTime()); // in flight across the next pass, completed after it
            ja.publishCommitted();
            jb.publishCommitted();
            check.pass();
            assertThat(check.fedLive()).as("what was complete, read as the load ran").isEqualTo(1 + 200 * THREADS + 300 * THREADS);

            // worker a is killed while writing a record: its last complete is torn, and a replacement takes over in journal c
            ja.invoked(op(0, 0, 201), System.nanoTime());
            long lastStart = ja.size();
            ja.completed(op(0, 0, 201).id(), System.nanoTime(), Outcome.ok());
            try (RandomAccessFile raf = new RandomAccessFile(a.toFile(), "rw")) {
                raf.seek(lastStart + 8);
                raf.write(new byte[(int) (ja.size() - lastStart - 8)]);
            }
            aEnded[0] = true;
            Journal jc = Journal.create(c, 0);
            journals.add(new LiveCheck.Followed(c, () -> false));
            write(jc, 0, 202, 150);
            jc.publishCommitted();
            jb.completed(op(1, 1, 300).id(), System.nanoTime(), Outcome.ok());
            write(jb, 1, 301, 100);
            jb.publishCommitted();
            check.pass();
            write(jc, 0, 352, 50); // written after the last pass: read at the end
            jc.close();
            jb.close();

            JournalHistories followed = check.finish();
            StreamingChecker after = new StreamingChecker(CELLS);
            JournalHistories read = JournalHistories.read(List.of(a, b, c), THREADS, after);

            assertThat(live.operations()).isEqualTo(after.operations()).isEqualTo(1 + 200 * THREADS + 1 + (300 * THREADS + 1 + 100 * THREADS) + 200 * THREADS);
            RunTally t1 = followed.tally;
            RunTally t2 = read.tally;
            assertThat(List.of(t1.invoked, t1.ok, t1.unknown, t1.retries)).isEqualTo(List.of(t2.invoked, t2.ok, t2.unknown, t2.retries));
            assertThat(t1.unknown).as("the torn record's operation").isEqualTo(1);
            assertThat(t1.failed).isEqualTo(t2.failed);
            assertThat(t1.latencyMicros).isEqualTo(t2.latencyMicros);
            assertThat(t1.series.build(1_000_000_000L, t1.latencyMicros)).isEqualTo(t2.series.build(1_000_000_000L, t2.latencyMicros));
            assertThat(followed.contents).hasSize(3);
            for (int i = 0; i < 3; i++) {
                var f = followed.contents.get(i);
                var r = read.contents.get(i);
                assertThat(List.of(f.operations(), f.inFlight(), f.firstInvokeNanos(), f.lastCompleteNanos()))
                        .isEqualTo(List.of(r.operations(), r.inFlight(), r.firstInvokeNanos(), r.lastCompleteNanos()));
                assertThat(f.nextSeq()).isEqualTo(r.nextSeq());
            }
            Map<String, Cell> finals = Map.of(CELLS.get(0).key(), CELLS.get(0), CELLS.get(1).key(), new Cell(CELLS.get(1).key(), 1_234, 1));
            Set<String> rows = Set.of("run-live/order-1-0-5", "run-live/order-0-1-10", "run-live/nobody");
            Verdict v1 = live.verdict(finals, Map.of(), rows, 0);
            Verdict v2 = after.verdict(finals, Map.of(), rows, 0);
            assertThat(v1).isEqualTo(v2);
        } finally {
            ja.close();
        }
    }
}
