package dev.racelab.internal.os;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * What a process must be before racelab signals it, read from /proc: a pid from a pid file may
 * be stale, reused by another program, or planted, and a signal to it would land on something
 * racelab never meant to touch.
 */
public final class ProcessIdentity {
    private final String what;
    private final java.util.function.LongPredicate check;

    private ProcessIdentity(String what, java.util.function.LongPredicate check) {
        this.what = what;
        this.check = check;
    }

    /** A process running this executable ({@code /proc/PID/exe} is that file). */
    public static ProcessIdentity executable(Path executable) {
        return new ProcessIdentity(executable.toString(), pid -> sameFile(exe(pid), executable));
    }

    /**
     * A JVM (its executable is a {@code java}) whose command line has each of these arguments:
     * its main class and its configuration file, say.
     */
    public static ProcessIdentity java(String... arguments) {
        List<String> wanted = List.of(arguments);
        return new ProcessIdentity("a java process with " + String.join(" ", wanted), pid -> {
            Path exe = exe(pid);
            return exe != null && exe.getFileName().toString().equals("java") && commandLine(pid).containsAll(wanted);
        });
    }

    /** Whether the live process {@code pid} is this one. */
    public boolean matches(long pid) {
        return check.test(pid);
    }

    /** What the process must be: "/usr/sbin/mariadbd". */
    public String describe() {
        return what;
    }

    /** The executable the process runs, or null when it is gone or not ours to read. */
    static Path exe(long pid) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "exe"));
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    private static List<String> commandLine(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            return Arrays.asList(new String(raw, StandardCharsets.UTF_8).split("\0"));
        } catch (IOException e) {
            return List.of();
        }
    }

    private static boolean sameFile(Path running, Path expected) {
        if (running == null) return false;
        try {
            return Files.isSameFile(running, expected);
        } catch (IOException e) {
            return running.equals(expected);
        }
    }
}
