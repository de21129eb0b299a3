package dev.racelab.internal.lab;

import dev.racelab.core.UsageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What {@code racelab lab up} checks before it changes anything: root, and every program the lab
 * runs. It answers with one line naming what is missing and how to get it.
 */
final class Preflight {
    /** A program the lab runs and the Debian package that brings it. */
    record Needed(String executable, String debianPackage) {
    }

    /** What every lab needs, whatever its store. */
    static final List<Needed> HOSTS = List.of(new Needed("ip", "iproute2"), new Needed("nft", "nftables"),
            new Needed("setsid", "util-linux"));

    private static final List<String> SYSTEM_DIRS = List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin");

    private Preflight() {
    }

    /** Throws a one-line UsageException when not root or when a needed program is missing. */
    static void check(List<Needed> needed) {
        problem(needed).ifPresent(line -> {
            throw new UsageException(line);
        });
    }

    static Optional<String> problem(List<Needed> needed) {
        if (!isRoot()) return Optional.of("lab needs root (it makes network namespaces and keeps its state in /var/lib/racelab); run it as root");
        List<Needed> missing = new ArrayList<>();
        for (Needed n : needed) if (find(n.executable()).isEmpty()) missing.add(n);
        if (missing.isEmpty()) return Optional.empty();
        Set<String> packages = new LinkedHashSet<>();
        List<String> programs = new ArrayList<>();
        for (Needed n : missing) {
            packages.add(n.debianPackage());
            programs.add(n.executable().equals(n.debianPackage()) ? n.executable() : n.executable() + " (" + n.debianPackage() + ")");
        }
        return Optional.of("lab needs " + String.join(", ", programs) + ": apt-get install -y " + String.join(" ", packages)
                + " (bin/lab-packages installs all a lab needs)");
    }

    /** The program's path on PATH or in the system's directories (a non-login root shell may lack /usr/sbin). */
    static Optional<Path> find(String executable) {
        if (executable.startsWith("/")) { // a program outside PATH, such as PostgreSQL's server or a jar
            Path exact = Path.of(executable);
            return Files.isRegularFile(exact) && (Files.isExecutable(exact) || executable.endsWith(".jar")) ? Optional.of(exact) : Optional.empty();
        }
        List<String> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) dirs.addAll(List.of(path.split(":")));
        dirs.addAll(SYSTEM_DIRS);
        for (String dir : dirs) {
            if (dir.isEmpty()) continue;
            Path candidate = Path.of(dir, executable);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) return Optional.of(candidate);
        }
        return Optional.empty();
    }

    /** The effective uid, from /proc/self/status (its Uid line: real, effective, saved, filesystem). */
    static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) return line.split("\\s+")[2].equals("0");
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }
}
