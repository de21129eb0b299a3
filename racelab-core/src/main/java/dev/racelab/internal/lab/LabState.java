package dev.racelab.internal.lab;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a lab is made of, as its state file records it. Each thing is recorded before it is
 * made (the plan) and the servers as soon as they run, so that {@code down} can undo a lab whose
 * {@code up} was killed halfway: removing what was planned but never made is harmless.
 *
 * @param phase {@code creating} until every server answered, then {@code ready}
 * @param urls what a client uses to reach the lab's store, by store kind
 */
// a state file written by a newer racelab (more fields) is still read: down must remove that lab too
@com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
public record LabState(String name, String store, String phase, String subnet, String bridge, String bridgeAddress,
        List<LabNode> nodes, List<String> netnsDirs, List<String> dataDirs, List<LabServer> servers,
        List<NftTable> nftTables, Map<String, String> options, Map<String, String> urls, Double readySeconds) {

    public static final String CREATING = "creating";
    public static final String READY = "ready";

    public LabState {
        nodes = List.copyOf(nodes);
        netnsDirs = List.copyOf(netnsDirs);
        dataDirs = List.copyOf(dataDirs);
        servers = List.copyOf(servers);
        nftTables = List.copyOf(nftTables);
        options = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options));
        urls = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(urls));
    }

    LabState withServer(LabServer server) {
        List<LabServer> more = new ArrayList<>(servers);
        more.add(server);
        return new LabState(name, store, phase, subnet, bridge, bridgeAddress, nodes, netnsDirs, dataDirs, more, nftTables,
                options, urls, readySeconds);
    }

    LabState withNftTables(List<NftTable> tables) {
        return new LabState(name, store, phase, subnet, bridge, bridgeAddress, nodes, netnsDirs, dataDirs, servers, tables,
                options, urls, readySeconds);
    }

    LabState ready(Map<String, String> readyUrls, double seconds) {
        return new LabState(name, store, READY, subnet, bridge, bridgeAddress, nodes, netnsDirs, dataDirs, servers, nftTables,
                options, readyUrls, seconds);
    }

    /** The node called {@code nodeName} ({@code n1}, ...). */
    public LabNode node(String nodeName) {
        return nodes.stream().filter(n -> n.name().equals(nodeName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("lab " + name + " has no node " + nodeName));
    }

    /** The server {@code old} replaced by {@code started} (a server a fault started again). */
    LabState withServerReplaced(LabServer old, LabServer started) {
        List<LabServer> now = new ArrayList<>(servers);
        int at = now.indexOf(old);
        if (at < 0) now.add(started);
        else now.set(at, started);
        return new LabState(name, store, phase, subnet, bridge, bridgeAddress, nodes, netnsDirs, dataDirs, now, nftTables,
                options, urls, readySeconds);
    }
}
