package dev.racelab.internal.lab;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What Patroni's REST API on a node (port 8008) says: its own PostgreSQL's state and role, the leader it names, who streams. */
final class PatroniRest {
    private PatroniRest() {
    }

    /** Patroni's view of its own node: {"state": "running", "role": "master" | "replica", "replication": [...]}, or empty when it does not answer. */
    static Optional<JsonNode> patroni(LabNode node) {
        return HttpProbe.json(node.address(), PatroniLab.REST_PORT, "/patroni");
    }

    static boolean actsAsPrimary(LabNode node) {
        return patroni(node).filter(p -> p.path("state").asText().equals("running") && isPrimaryRole(p.path("role").asText())).isPresent();
    }

    static boolean isPrimaryRole(String role) {
        return role.equals("master") || role.equals("primary");
    }

    /** The nodes that stream from {@code primary} now, by Patroni's application_name (the node's name). */
    static List<String> streamingFrom(LabNode primary) {
        List<String> names = new ArrayList<>();
        patroni(primary).ifPresent(p -> p.path("replication").forEach(r -> {
            if (r.path("state").asText().equals("streaming")) names.add(r.path("application_name").asText());
        }));
        return names;
    }

    static boolean hasSyncStandby(LabNode primary) {
        return HttpProbe.json(primary.address(), PatroniLab.REST_PORT, "/cluster").map(c -> {
            for (JsonNode m : c.path("members")) if (m.path("role").asText().equals("sync_standby")) return true;
            return false;
        }).orElse(false);
    }

    /** The leader the Patroni on {@code elector} names (its view of the leader key in etcd). */
    static Optional<String> leaderNamedBy(LabState lab, LabNode elector) {
        return HttpProbe.json(elector.address(), PatroniLab.REST_PORT, "/cluster").flatMap(c -> {
            for (JsonNode m : c.path("members")) {
                if (m.path("role").asText().equals("leader")) {
                    String name = m.path("name").asText();
                    return lab.nodes().stream().map(LabNode::name).filter(name::equals).findFirst();
                }
            }
            return Optional.empty();
        });
    }

    /** Silent, or a running replica that the node acting as primary lists as streaming. */
    static boolean replicatesOrSilent(LabState lab, LabNode node) {
        Optional<JsonNode> own = patroni(node);
        if (own.isEmpty()) return true;
        if (!own.get().path("state").asText().equals("running") || isPrimaryRole(own.get().path("role").asText())) return false;
        return lab.nodes().stream().filter(n -> n != node && actsAsPrimary(n)).anyMatch(primary -> streamingFrom(primary).contains(node.name()));
    }
}
