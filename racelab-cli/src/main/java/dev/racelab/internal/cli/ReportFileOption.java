package dev.racelab.internal.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --report FILE} a command also writes a self-contained HTML report to. */
public final class ReportFileOption {
    @Option(names = "--report", paramLabel = "FILE", descriptionKey = "report", description = "also write a self-contained HTML report: the verdicts,"
            + " each run's latency histogram and throughput over time")
    Path file;

    /** Before the run starts, so a typo never costs a finished run. */
    void checkWritable() {
        OutputFiles.checkWritable("--report", file);
    }

    void write(String html) {
        OutputFiles.write("--report", file, html);
    }
}
