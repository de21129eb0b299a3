package dev.racelab.internal.run;

import dev.racelab.internal.check.StreamingChecker;
import dev.racelab.internal.history.JournalReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A run's journals read for its check: each once, every operation handed to the checker and to
 * the result's tally as it is read and then dropped, so the coordinator's memory grows with the
 * cells, the guard keys and the operations in flight, never with the history. The series' time
 * zero (the run's first invoke) is found first, from the head of each journal.
 */
final class JournalHistories {
    /** What each journal held besides its operations (summary, stats, operations in flight), in the order given. */
    final List<JournalReader.Contents> contents = new ArrayList<>();
    final RunTally tally;

    JournalHistories(RunTally tally) {
        this.tally = tally;
    }

    /** @param threads each worker's threads: the head of a journal is read until each has been seen */
    static JournalHistories read(List<Path> journals, int threads, StreamingChecker checker) throws IOException {
        long origin = Long.MAX_VALUE;
        for (Path journal : journals) origin = Math.min(origin, JournalReader.firstInvokeNanos(journal, threads));
        JournalHistories read = new JournalHistories(new RunTally(origin));
        for (Path journal : journals) {
            read.contents.add(JournalReader.scan(journal, op -> {
                checker.accept(op);
                read.tally.accept(op);
            }));
        }
        return read;
    }
}
