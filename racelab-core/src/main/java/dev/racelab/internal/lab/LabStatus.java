package dev.racelab.internal.lab;

import java.util.List;
import java.util.Map;

/** A lab as {@code racelab lab status} shows it: its state with whether each server still runs, and its plain hosts (h1, ...). */
public record LabStatus(String name, String store, String phase, String subnet, List<LabNode> nodes, List<Server> servers,
        Map<String, String> urls, Map<String, String> options, Double readySeconds, LabState.WithStore with, List<LabNode> hosts) {

    /** A server of the lab and whether its recorded process runs now. */
    public record Server(String role, String node, long pid, String address, int port, boolean alive, String log) {
    }

    public static LabStatus of(LabState lab) {
        List<Server> servers = lab.servers().stream()
                .map(s -> new Server(s.role(), s.node(), s.pid(), s.address(), s.port(), s.alive(), s.log())).toList();
        return new LabStatus(lab.name(), lab.store(), lab.phase(), lab.subnet(), lab.nodes(), servers, lab.urls(), lab.options(),
                lab.readySeconds(), lab.with(), lab.hosts());
    }
}
