package dev.racelab.internal.cli;

import dev.racelab.core.UsageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Files a command writes (--csv, --report): checked before the work starts, written whole or not at all. */
final class OutputFiles {
    private OutputFiles() {
    }

    static void checkWritable(String flag, Path file) {
        if (file == null) return;
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) throw new UsageException("cannot write " + flag + " " + file + ": no directory " + dir);
        if (Files.isDirectory(file)) throw new UsageException("cannot write " + flag + " " + file + ": it is a directory");
        if (!Files.isWritable(dir) || (Files.exists(file) && !Files.isWritable(file))) {
            throw new UsageException("cannot write " + flag + " " + file + ": not writable");
        }
    }

    /** Through a temporary file and a rename, so a reader never sees half a file. */
    static void write(String flag, Path file, String text) {
        if (file == null) return;
        try {
            Path dir = file.toAbsolutePath().getParent();
            // Not createTempFile: its file is private (0600), and a report is for others to read too; this one gets the umask's.
            Path tmp = dir.resolve("." + file.getFileName() + "." + ProcessHandle.current().pid() + "." + System.nanoTime() + ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UsageException("cannot write " + flag + " " + file + ": " + e.getMessage(), e);
        }
    }
}
