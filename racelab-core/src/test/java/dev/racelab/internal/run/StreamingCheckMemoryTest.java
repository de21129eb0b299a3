package dev.racelab.internal.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racelab.core.Cell;
import dev.racelab.internal.check.HistoryChecker;
import dev.racelab.internal.check.StreamingChecker;
import dev.racelab.internal.check.Verdict;
import dev.racelab.internal.history.JournalReader;
import dev.racelab.internal.history.OpRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A history of any length is checked in bounded memory: ten million operations, written with the
 * real journal writer and ending as a killed worker's does (operations in flight, a torn last
 * record), are checked by the coordinator's streaming path in a JVM of 256 MB of heap, and give
 * the verdict the in-memory checker gives a small history with the same loss forced in.
 */
class StreamingCheckMemoryTest {
    private static final long LOST = 7;
    private static final int IN_FLIGHT = 3;

    @Test
    void tenMillionOperationsAreCheckedIn256MbOfHeapWithTheVerdictOfASmallHistory(@TempDir Path dir) throws Exception {
        long small = 10_000;
        List<OpRecord> history = SyntheticHistory.records(small, IN_FLIGHT);
        Verdict inMemory = HistoryChecker.check(List.of(new Cell(SyntheticHistory.KEY, 0, 0)),
                Map.of(SyntheticHistory.KEY, new Cell(SyntheticHistory.KEY, SyntheticHistory.acknowledged(small) - LOST, 1)), Map.of(), history);
        assertThat(inMemory.pass()).isFalse();
        assertThat(inMemory.lost()).isEqualTo(LOST);
        assertThat(inMemory.phantom()).isZero();

        long big = 10_000_000;
        Path journal = dir.resolve("history-big.bin");
        SyntheticHistory.write(journal, big, IN_FLIGHT);
        assertThat(Files.size(journal)).as("48 bytes an operation, as Journal's comment says").isLessThan(big * 48 + (1 << 20));
        Path out = dir.resolve("check.out");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"), StreamingCheckMain.class.getName(),
                journal.toString(), Long.toString(SyntheticHistory.acknowledged(big) - LOST))
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        boolean ended = child.waitFor(120, TimeUnit.SECONDS);
        if (!ended) child.destroyForcibly();
        String said = Files.readString(out, StandardCharsets.UTF_8);
        System.out.println("the check in 256 MB said: " + said);
        assertThat(ended).as("the check ended within 120 s: " + said).isTrue();
        assertThat(child.exitValue()).as("the check ran out of its 256 MB or failed: " + said).isZero();
        assertThat(said).contains("verdict=FAIL lost=" + LOST + " phantom=0 operations=" + (big + IN_FLIGHT) + " ")
                .contains("unknown=" + IN_FLIGHT + " inFlight=" + IN_FLIGHT + " ")
                .contains("ok=" + SyntheticHistory.acknowledged(big) + " ")
                .contains("maxHeapMB=256");
    }

    /** The streamed check of a journal is the in-memory check of the same history, cell for cell. */
    @Test
    void aJournalStreamedGivesTheVerdictOfItsHistoryInMemory(@TempDir Path dir) throws Exception {
        long ops = 10_000;
        Path journal = dir.resolve("history-small.bin");
        SyntheticHistory.write(journal, ops, IN_FLIGHT);
        List<Cell> initial = List.of(new Cell(SyntheticHistory.KEY, 0, 0));
        Map<String, Cell> finals = Map.of(SyntheticHistory.KEY, new Cell(SyntheticHistory.KEY, SyntheticHistory.acknowledged(ops) - LOST, 1));
        StreamingChecker checker = new StreamingChecker(initial);
        JournalHistories read = JournalHistories.read(List.of(journal), SyntheticHistory.THREADS, checker);
        Verdict streamed = checker.verdict(finals, Map.of(), null, 0);
        Verdict inMemory = HistoryChecker.check(initial, finals, Map.of(), SyntheticHistory.records(ops, IN_FLIGHT));
        assertThat(streamed).isEqualTo(inMemory);
        assertThat(streamed.lost()).isEqualTo(LOST);
        assertThat(JournalReader.read(journal).history()).isEqualTo(SyntheticHistory.records(ops, IN_FLIGHT));
        assertThat(read.tally.invoked).isEqualTo(ops + IN_FLIGHT);
        assertThat(read.tally.unknown).isEqualTo(IN_FLIGHT);
        assertThat(read.contents.get(0).inFlight()).isEqualTo(IN_FLIGHT);
    }
}
