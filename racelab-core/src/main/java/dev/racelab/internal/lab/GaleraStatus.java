package dev.racelab.internal.lab;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One Galera node's view of its cluster, asked from the root namespace over the bridge: whether it
 * is in the Primary component, its local state (Synced, Joining, Donor/Desynced...), and the
 * client addresses of the component's members.
 */
record GaleraStatus(String clusterStatus, String localState, boolean ready, int clusterSize, List<String> members) {
    private static final String QUERY = "SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_cluster_status',"
            + " 'wsrep_local_state_comment', 'wsrep_ready', 'wsrep_cluster_size', 'wsrep_incoming_addresses')";

    /** Whether the node takes writes now: in the Primary component, Synced, and ready. */
    boolean takesWrites() {
        return "Primary".equals(clusterStatus) && "Synced".equals(localState) && ready;
    }

    /** The node's answer, or empty when it does not answer within about two seconds (down, paused, not yet up). */
    static Optional<GaleraStatus> of(LabNode node) {
        String url = "jdbc:mariadb://" + node.address() + ":" + GaleraLab.PORT + "/?user=" + GaleraLab.USER
                + "&connectTimeout=1000&socketTimeout=2000";
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(QUERY)) {
            Map<String, String> values = new HashMap<>();
            while (rs.next()) values.put(rs.getString(1).toLowerCase(java.util.Locale.ROOT), rs.getString(2));
            String addresses = values.getOrDefault("wsrep_incoming_addresses", "");
            return Optional.of(new GaleraStatus(values.getOrDefault("wsrep_cluster_status", ""),
                    values.getOrDefault("wsrep_local_state_comment", ""), "ON".equals(values.get("wsrep_ready")),
                    parse(values.get("wsrep_cluster_size")),
                    addresses.isBlank() ? List.of() : List.of(addresses.split(","))));
        } catch (SQLException e) {
            return Optional.empty();
        }
    }

    /** Whether the server answers at all, even with a refusal (an unknown user before the lab made it). */
    @SuppressWarnings("try") // the connection is opened only to be closed: that it opens is the answer
    static boolean answers(LabNode node) {
        String url = "jdbc:mariadb://" + node.address() + ":" + GaleraLab.PORT + "/?user=" + GaleraLab.USER
                + "&connectTimeout=1000&socketTimeout=2000";
        try (Connection ignored = DriverManager.getConnection(url)) {
            return true;
        } catch (SQLException e) {
            String state = e.getSQLState();
            return state != null && !state.startsWith("08");
        }
    }

    private static int parse(String n) {
        try {
            return n == null ? 0 : Integer.parseInt(n.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
