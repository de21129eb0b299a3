package dev.racelab.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Files of the repository (examples/, bench/) from a test, whichever module directory Maven runs it in. */
public final class Repo {
    private Repo() {}

    /** {@code relative} under the repository's root: the nearest directory up that holds examples/. */
    public static Path path(String relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("examples"))) return dir.resolve(relative);
        }
        throw new IllegalStateException("no examples/ directory above " + Path.of("").toAbsolutePath());
    }
}
