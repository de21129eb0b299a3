package dev.racelab.internal.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --csv FILE} a command also writes its result to, one line per run. */
public final class CsvFileOption {
    @Option(names = "--csv", paramLabel = "FILE", descriptionKey = "csv", description = "also write the result as CSV, one line per run")
    Path file;

    /** Before the run starts, so a typo never costs a finished run. */
    void checkWritable() {
        OutputFiles.checkWritable("--csv", file);
    }

    void write(String text) {
        OutputFiles.write("--csv", file, text);
    }
}
