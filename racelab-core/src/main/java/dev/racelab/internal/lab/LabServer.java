package dev.racelab.internal.lab;

/**
 * A server racelab started on a lab node: its role ({@code primary}, {@code replica},
 * {@code sentinel}), its pid, and what /proc showed of it at start (executable and start time),
 * so that {@code down} signals that very process and never a pid the kernel handed out again.
 */
public record LabServer(String role, String node, long pid, String executable, long startTime, String address, int port,
        String dataDir, String log) {

    /** Whether the recorded process still runs. */
    public boolean alive() {
        return ProcessIdentity.stillRuns(pid, executable, startTime);
    }
}
