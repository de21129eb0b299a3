package dev.racelab.internal.lab;

import java.util.List;

/**
 * A server racelab started on a lab node: its role ({@code primary}, {@code replica},
 * {@code sentinel}), its pid, and what /proc showed of it at start (executable and start time),
 * so that {@code down} signals that very process and never a pid the kernel handed out again.
 *
 * @param command what ran under {@code ip netns exec NS setsid} (the program, or the setpriv that
 *     execs it, and the arguments), so a fault can start it again as the lab started it
 */
// a state file written by a newer racelab (more fields) is still read: down must remove that lab too
@com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
public record LabServer(String role, String node, long pid, String executable, long startTime, String address, int port,
        String dataDir, String log, List<String> command) {

    public LabServer {
        command = command == null ? List.of() : List.copyOf(command);
    }

    /** Whether the recorded process still runs. */
    public boolean alive() {
        return ProcessIdentity.stillRuns(pid, executable, startTime);
    }
}
