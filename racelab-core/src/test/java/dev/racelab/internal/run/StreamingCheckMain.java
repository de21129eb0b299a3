package dev.racelab.internal.run;

import dev.racelab.core.Cell;
import dev.racelab.internal.check.StreamingChecker;
import dev.racelab.internal.check.Verdict;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The coordinator's check of one journal, alone in a JVM whose heap the test bounds: reads the
 * journal with {@link JournalHistories} (what the coordinator runs) and prints the verdict and
 * the tally in one line. Args: journal, the cell's final value.
 */
public final class StreamingCheckMain {
    private StreamingCheckMain() {
    }

    public static void main(String[] args) throws Exception {
        Path journal = Path.of(args[0]);
        long finalValue = Long.parseLong(args[1]);
        StreamingChecker checker = new StreamingChecker(List.of(new Cell(SyntheticHistory.KEY, 0, 0)));
        JournalHistories read = JournalHistories.read(List.of(journal), SyntheticHistory.THREADS, checker);
        Verdict v = checker.verdict(Map.of(SyntheticHistory.KEY, new Cell(SyntheticHistory.KEY, finalValue, 1)), Map.of(), null, 0);
        long peakHeap = ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong((MemoryPoolMXBean p) -> p.getPeakUsage().getUsed()).sum();
        RunTally t = read.tally;
        System.out.printf(Locale.ROOT, "verdict=%s lost=%d phantom=%d operations=%d ok=%d unknown=%d inFlight=%d p50us=%d p99us=%d"
                        + " maxHeapMB=%d peakHeapMB=%d%n", v.pass() ? "PASS" : "FAIL", v.lost(), v.phantom(), checker.operations(), t.ok,
                t.unknown, read.contents.get(0).inFlight(), t.latencyMicros.getValueAtPercentile(50),
                t.latencyMicros.getValueAtPercentile(99), Runtime.getRuntime().maxMemory() >> 20, peakHeap >> 20);
    }
}
