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
 * @param urls what a client uses to reach the lab's stores, by store kind
 * @param with the second store {@code --with} added, on nodes of its own after the store's; null when none
 *     (and in the state files of labs made before it existed)
 */
// a state file written by a newer racelab (more fields) is still read: down must remove that lab too
@com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
public record LabState(String name, String store, String phase, String subnet, String bridge, String bridgeAddress,
        List<LabNode> nodes, List<String> netnsDirs, List<String> dataDirs, List<LabServer> servers,
        List<NftTable> nftTables, Map<String, String> options, Map<String, String> urls, Double readySeconds, WithStore with, List<LabNode> hosts) {

    /** A second store in the lab ({@code --with KIND}): its kind, the nodes it runs on, and its options. */
    public record WithStore(String store, List<String> nodes, Map<String, String> options) {
        public WithStore {
            nodes = List.copyOf(nodes);
            options = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options));
        }
    }

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
        hosts = hosts == null ? List.of() : List.copyOf(hosts); // a state file of an older racelab has none
    }

    /** A lab without plain hosts. */
    public LabState(String name, String store, String phase, String subnet, String bridge, String bridgeAddress,
            List<LabNode> nodes, List<String> netnsDirs, List<String> dataDirs, List<LabServer> servers,
            List<NftTable> nftTables, Map<String, String> options, Map<String, String> urls, Double readySeconds, WithStore with) {
        this(name, store, phase, subnet, bridge, bridgeAddress, nodes, netnsDirs, dataDirs, servers, nftTables, options, urls, readySeconds,
                with, List.of());
    }

    /** The store's nodes, then the plain hosts: every namespace the lab makes. */
    List<LabNode> namespaced() {
        List<LabNode> all = new ArrayList<>(nodes);
        all.addAll(hosts);
        return all;
    }

    /** The plain host called {@code hostName} ({@code h1}, ...). */
    public LabNode host(String hostName) {
        return hosts.stream().filter(h -> h.name().equals(hostName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("lab " + name + " has no host " + hostName));
    }

    LabState withServer(LabServer server) {
        List<LabServer> more = new ArrayList<>(servers);
        more.add(server);
        return new LabState(name, store, phase, subnet, bridge, bridgeAddress, nodes, netnsDirs, dataDirs, more, nftTables,
                options, urls, readySeconds, with, hosts);
    }

    LabState withNftTables(List<NftTable> tables) {
        return new LabState(name, store, phase, subnet, bridge, bridgeAddress, nodes, netnsDirs, dataDirs, servers, tables,
                options, urls, readySeconds, with, hosts);
    }

    LabState ready(Map<String, String> readyUrls, double seconds) {
        return new LabState(name, store, READY, subnet, bridge, bridgeAddress, nodes, netnsDirs, dataDirs, servers, nftTables,
                options, readyUrls, seconds, with, hosts);
    }

    /** The node called {@code nodeName} ({@code n1}, ...), or the plain host of that name ({@code h1}, ...). */
    public LabNode node(String nodeName) {
        return namespaced().stream().filter(n -> n.name().equals(nodeName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("lab " + name + " has no node " + nodeName));
    }

    /** The server {@code old} replaced by {@code started} (a server a fault started again). */
    LabState withServerReplaced(LabServer old, LabServer started) {
        List<LabServer> now = new ArrayList<>(servers);
        int at = now.indexOf(old);
        if (at < 0) now.add(started);
        else now.set(at, started);
        return new LabState(name, store, phase, subnet, bridge, bridgeAddress, nodes, netnsDirs, dataDirs, now, nftTables,
                options, urls, readySeconds, with, hosts);
    }

    /** The nodes the lab's main store runs on: all but the {@code --with} store's. */
    public List<String> storeNodes() {
        return nodes.stream().map(LabNode::name).filter(n -> with == null || !with.nodes().contains(n)).toList();
    }

    /** The lab as the kind {@code kind} sees it: its own nodes and options only (the other store's are none of its business). */
    LabState viewFor(String kind) {
        boolean second = with != null && with.store().equals(kind) && !kind.equals(store);
        List<String> own = second ? with.nodes() : storeNodes();
        return new LabState(name, kind, phase, subnet, bridge, bridgeAddress, nodes.stream().filter(n -> own.contains(n.name())).toList(),
                netnsDirs, dataDirs, servers.stream().filter(s -> own.contains(s.node())).toList(), nftTables,
                second ? with.options() : options, urls, readySeconds, null, List.of());
    }
}
