package dev.racelab.internal.cli;

import dev.racelab.core.UsageException;
import dev.racelab.internal.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The --json file: checked before the run starts, so a typo never costs a finished run. */
final class JsonOutput {
    private JsonOutput() {
    }

    static void checkWritable(Path file) {
        if (file == null) return;
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) throw new UsageException("cannot write --json " + file + ": no directory " + dir);
        if (!Files.isWritable(dir) || (Files.exists(file) && !Files.isWritable(file))) {
            throw new UsageException("cannot write --json " + file + ": not writable");
        }
    }

    static void write(Path file, Object value) {
        if (file == null) return;
        try {
            Json.MAPPER.writeValue(file.toFile(), value);
        } catch (IOException e) {
            throw new UsageException("cannot write --json " + file + ": " + e.getMessage(), e);
        }
    }
}
