package dev.racelab.internal.lab;

import dev.racelab.internal.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where labs are described: {@code ROOT/NAME/lab.json}, with the lab's server data under
 * {@code ROOT/../lab-data/NAME}. Root's own directories (0711): a state file names pids racelab will
 * signal, so nobody else may write one, nor list them; a server run as a user of its own (MariaDB
 * as mysql) may only pass through to its data directory, which is that user's.
 */
final class LabDirectory {
    static final Path DEFAULT_ROOT = Path.of("/var/lib/racelab/labs");
    private static final String STATE_FILE = "lab.json";

    private final Path root;

    LabDirectory(Path root) {
        this.root = root;
    }

    Path labDir(String name) {
        return root.resolve(name);
    }

    /**
     * {@code ROOT/../lab-data/NAME}: beside the state, not under it, so a server run as a user of its
     * own (MariaDB as mysql) reaches its data through directories that only let it pass, whatever
     * mode a racelab of another version gives the state's directories.
     */
    Path dataDir(String name) {
        return root.resolveSibling("lab-data").resolve(name);
    }

    Optional<LabState> read(String name) {
        Path file = labDir(name).resolve(STATE_FILE);
        if (!Files.exists(file)) return Optional.empty();
        try {
            // a lab that a newer racelab made may record more than this one knows: what it knows still reads
            return Optional.of(Json.MAPPER.readerFor(LabState.class)
                    .without(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).readValue(file.toFile()));
        } catch (IOException e) {
            throw new LabException("the state file " + file + " of lab " + name + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** Replaces the state file in one rename, so a racelab killed while writing leaves the old one whole. */
    void write(LabState state) {
        Path dir = labDir(state.name());
        try {
            createPrivate(dir);
            Path tmp = dir.resolve(STATE_FILE + ".tmp");
            Json.MAPPER.writeValue(tmp.toFile(), state);
            Files.move(tmp, dir.resolve(STATE_FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new LabException("cannot write the state of lab " + state.name() + " under " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The names of the labs described here. */
    List<String> names() {
        if (!Files.isDirectory(root)) return List.of();
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(d -> Files.exists(d.resolve(STATE_FILE))).map(d -> d.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes the lab's directory: its state file and whatever data is left under it. */
    void remove(String name) {
        deleteTree(labDir(name));
    }

    static void deleteTree(Path top) {
        if (!Files.exists(top, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> all = Files.walk(top)) {
            List<Path> deepestFirst = new ArrayList<>(all.sorted(Comparator.reverseOrder()).toList());
            for (Path p : deepestFirst) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new LabException("cannot remove " + top + ": " + e.getMessage(), e);
        }
    }

    static void createPrivate(Path dir) throws IOException {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx--x--x")));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
    }

    /**
     * Lets every user pass through {@code dir} and the directories above it up to {@code top}
     * (search only, no listing): the state directory's parent may be 0700, made by an earlier racelab.
     */
    static void passable(Path dir, Path top) throws IOException {
        for (Path p = dir.toAbsolutePath(); p != null && p.startsWith(top); p = p.getParent()) {
            java.util.Set<java.nio.file.attribute.PosixFilePermission> perms = Files.getPosixFilePermissions(p);
            if (perms.add(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) Files.setPosixFilePermissions(p, perms);
        }
    }

    /**
     * Where the servers that run as users of their own keep their data (PostgreSQL refuses
     * root): {@code ROOT/../user-data/NAME}, beside the labs' directory, which stays root's alone.
     * The directories down to a server's own are 0711 (its user may pass through, nobody may
     * list or write them); each server's directory is its user's.
     */
    static Path userDataDir(Path dataRoot) {
        Path labDir = dataRoot.getParent();
        return labDir.getParent().resolveSibling("user-data").resolve(labDir.getFileName());
    }

    /** Makes {@link #userDataDir} and the directories above it passable (0711). */
    static Path createUserDataDir(Path dataRoot) throws IOException {
        Path dir = userDataDir(dataRoot);
        createPassable(dir);
        createPassable(dir.getParent());
        createPassable(dir.getParent().getParent());
        return dir;
    }

    private static void createPassable(Path dir) throws IOException {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx--x--x")));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
    }

    /** Holds the lock over every lab's state while one lab picks its subnet and names, so two ups never pick the same. */
    <T> T locked(java.util.function.Supplier<T> action) {
        try {
            createPrivate(root);
            try (FileChannel channel = FileChannel.open(root.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                FileLock lock = channel.lock();
                try {
                    return action.get();
                } finally {
                    lock.release();
                }
            }
        } catch (IOException e) {
            throw new LabException("cannot lock " + root + ": " + e.getMessage(), e);
        }
    }
}
