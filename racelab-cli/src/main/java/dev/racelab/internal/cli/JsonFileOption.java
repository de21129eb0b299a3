package dev.racelab.internal.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The {@code --json FILE} a command also writes its result to. A command whose result is not "the result"
 * words the description in OutputOptions.properties under its qualified name ({@code racelab.isolation.json}).
 */
public final class JsonFileOption {
    @Option(names = "--json", paramLabel = "FILE", descriptionKey = "json", description = "also write the result as JSON")
    Path file;

    /** Before the run starts, so a typo never costs a finished run. */
    void checkWritable() {
        JsonOutput.checkWritable(file);
    }

    void write(Object value) {
        JsonOutput.write(file, value);
    }

    /** The file's name, or {@code fallback} without --json: what a report is titled by. */
    String nameOr(String fallback) {
        return file != null ? file.getFileName().toString() : fallback;
    }
}
