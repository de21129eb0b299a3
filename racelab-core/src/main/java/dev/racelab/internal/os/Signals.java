package dev.racelab.internal.os;

import dev.racelab.core.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Signals a server's processes by pid: a pid racelab started or read from a server's pid file,
 * and that process's descendants. Never by name pattern.
 */
public final class Signals {
    private Signals() {
    }

    /**
     * kill -SIGNAL pid...; a pid that has gone meanwhile is not an error. It waits for kill to
     * finish even when the thread is interrupted (and keeps the interrupt): kill has run by then,
     * so a caller must be able to rely on the signal having been sent once this returns.
     */
    public static void send(String signal, List<Long> pids) {
        if (pids.isEmpty()) return;
        List<String> cmd = new ArrayList<>(List.of("kill", "-" + signal));
        for (long pid : pids) cmd.add(Long.toString(pid));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new StoreException("could not run kill -" + signal + ": " + e.getMessage(), e, false);
        }
        boolean interrupted = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try {
            while (true) {
                try {
                    if (!p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) p.destroyForcibly();
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    /**
     * The pid on the first line of a server's pid file, when it names a live process that is that
     * server, and nobody but its owner could have written the file: a pid file that anyone may
     * write, or that lies in a directory anyone may write to (such as /tmp), may be planted.
     */
    public static Optional<Long> serverPidIn(Path pidFile, ProcessIdentity server) {
        try {
            return Optional.of(requireServerPidIn(pidFile, server));
        } catch (StoreException e) {
            return Optional.empty();
        }
    }

    /** {@link #serverPidIn}, or a StoreException that says why the pid file is not believed. */
    public static long requireServerPidIn(Path pidFile, ProcessIdentity server) {
        try {
            if (!Files.isRegularFile(pidFile)) throw refused(pidFile, "it does not exist");
            if (writableByAnyone(pidFile)) throw refused(pidFile, "anyone may write it");
            Path dir = pidFile.toAbsolutePath().getParent();
            if (dir != null && writableByAnyone(dir)) throw refused(pidFile, "it lies in " + dir + ", which is world-writable");
            List<String> lines = Files.readAllLines(pidFile);
            if (lines.isEmpty()) throw refused(pidFile, "it is empty");
            long pid = Long.parseLong(lines.get(0).trim());
            if (pid <= 0) throw refused(pidFile, "it holds no pid");
            if (ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isEmpty()) throw refused(pidFile, "pid " + pid + " is not running");
            if (!server.matches(pid)) {
                Path exe = ProcessIdentity.exe(pid);
                throw refused(pidFile, "pid " + pid + " is " + (exe == null ? "not readable" : exe) + ", not " + server.describe());
            }
            return pid;
        } catch (IOException | NumberFormatException e) {
            throw refused(pidFile, "it holds no pid (" + e.getMessage() + ")");
        }
    }

    private static StoreException refused(Path pidFile, String why) {
        return new StoreException("racelab does not believe the pid file " + pidFile + ": " + why, null, false);
    }

    private static boolean writableByAnyone(Path path) throws IOException {
        return Files.getPosixFilePermissions(path).contains(java.nio.file.attribute.PosixFilePermission.OTHERS_WRITE);
    }

    /** Whether {@code pid}'s chain of parents, read now, reaches {@code ancestor}. */
    static boolean descendsFrom(long pid, long ancestor) {
        Optional<ProcessHandle> p = ProcessHandle.of(pid);
        for (int depth = 0; depth < 64 && p.isPresent(); depth++) {
            Optional<ProcessHandle> parent = p.get().parent();
            if (parent.isEmpty()) return false;
            if (parent.get().pid() == ancestor) return true;
            p = parent;
        }
        return false;
    }

    /** The process and all its live descendants, the process first. */
    public static List<Long> withDescendants(long pid) {
        List<Long> all = new ArrayList<>();
        ProcessHandle.of(pid).ifPresent(root -> {
            all.add(root.pid());
            root.descendants().filter(ProcessHandle::isAlive).forEach(child -> all.add(child.pid()));
        });
        return all;
    }

    /** Whether the kernel has the process stopped (state T in /proc/PID/stat). */
    public static boolean isStopped(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            int end = stat.lastIndexOf(')');
            return end > 0 && stat.length() > end + 2 && stat.charAt(end + 2) == 'T';
        } catch (IOException e) {
            return false; // gone
        }
    }

    /**
     * SIGSTOPs a process and every descendant, the parent first so that it forks no new child
     * meanwhile, and returns once the kernel has every one of them stopped: a signal is delivered
     * when the process next runs, and a fork under way may add a child. Gives up after 5 s with
     * what it stopped. Each pid goes to {@code signalled} before its signal is sent, so a caller
     * that is interrupted or fails half way still knows every process to continue.
     */
    public static void stopTree(long pid, java.util.function.Consumer<Long> signalled) {
        List<Long> sent = new ArrayList<>();
        signalled.accept(pid);
        sent.add(pid);
        send("STOP", List.of(pid));
        awaitTrue(() -> {
            // each child is checked to be under the server again right before its signal: a pid can be reused meanwhile
            List<Long> running = withDescendants(pid).stream().filter(p -> !isStopped(p))
                    .filter(p -> p == pid || descendsFrom(p, pid)).toList();
            if (running.isEmpty()) return true;
            running.stream().filter(p -> !sent.contains(p)).forEach(p -> {
                sent.add(p);
                signalled.accept(p);
            });
            send("STOP", running);
            return false;
        }, 5_000);
    }

    /** Waits until the process is gone; false when it is still there after {@code ms}. */
    public static boolean awaitExit(long pid, long ms) {
        return awaitTrue(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true), ms);
    }

    /** Asks every 100 ms until {@code done} says yes; false when it still says no after {@code ms}. */
    public static boolean awaitTrue(java.util.function.BooleanSupplier done, long ms) {
        long deadline = System.nanoTime() + ms * 1_000_000;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) return false;
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return done.getAsBoolean();
            }
        }
        return true;
    }
}
