package dev.racelab.internal.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Who a pid is now: its executable and its start time (field 22 of /proc/PID/stat, in clock
 * ticks since boot). A pid the kernel gave again to another process has another start time, so
 * racelab signals a recorded pid only while both still match.
 */
record ProcessIdentity(long pid, String executable, long startTime) {

    /** The process as /proc shows it now, or empty when no such pid runs. */
    static Optional<ProcessIdentity> of(long pid) {
        Optional<Long> start = startTime(pid);
        if (start.isEmpty()) return Optional.empty();
        String exe;
        try {
            exe = Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "exe")).toString();
        } catch (IOException | UnsupportedOperationException e) {
            exe = ""; // exited meanwhile, or a kernel thread
        }
        return Optional.of(new ProcessIdentity(pid, exe, start.get()));
    }

    /** Field 22 of /proc/PID/stat; the command name (field 2) may hold spaces and parentheses, so fields are counted after its last ')'. */
    static Optional<Long> startTime(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (IOException e) {
            return Optional.empty();
        }
        String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Optional.of(Long.parseLong(after[22 - 3]));
    }

    /** Whether this pid still runs the recorded executable and is the process that started at the recorded time. */
    static boolean stillRuns(long pid, String executable, long startTime) {
        return of(pid).filter(now -> now.startTime() == startTime && now.executable().equals(executable)
                && !isZombie(pid)).isPresent();
    }

    private static boolean isZombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException e) {
            return true;
        }
    }
}
