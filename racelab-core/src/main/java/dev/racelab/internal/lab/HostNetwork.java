package dev.racelab.internal.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lab's hosts on this machine: a bridge in the root namespace with the lab's first address,
 * and per node a namespace joined to it by a veth pair. Nothing here touches a firewall, a route
 * or a link racelab did not make.
 */
final class HostNetwork {
    static final Path NETNS_ETC = Path.of("/etc/netns");
    private static final Pattern IPV4_PREFIX = Pattern.compile("\\b(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})(?:/(\\d{1,2}))?\\b");
    private static final Pattern LINK_NAME = Pattern.compile("^\\d+: ([^:@ ]+)");

    private HostNetwork() {
    }

    /** Makes the bridge and every node; each was recorded in the state file before. */
    static void create(LabState lab) {
        HostCommands.require("ip", "link", "add", lab.bridge(), "type", "bridge");
        HostCommands.require("ip", "addr", "add", lab.bridgeAddress() + "/24", "dev", lab.bridge());
        HostCommands.require("ip", "link", "set", lab.bridge(), "up");
        for (LabNode node : lab.namespaced()) {
            HostCommands.require("ip", "netns", "add", node.namespace());
            writeResolverFiles(lab, node);
            HostCommands.require("ip", "link", "add", node.hostLink(), "type", "veth", "peer", "name", "eth0", "netns", node.namespace());
            HostCommands.require("ip", "link", "set", node.hostLink(), "master", lab.bridge());
            HostCommands.require("ip", "link", "set", node.hostLink(), "up");
            HostCommands.require("ip", "-n", node.namespace(), "addr", "add", node.address() + "/24", "dev", "eth0");
            HostCommands.require("ip", "-n", node.namespace(), "link", "set", "eth0", "up");
            HostCommands.require("ip", "-n", node.namespace(), "link", "set", "lo", "up");
        }
    }

    /**
     * Inside a namespace the machine's resolver is out of reach and every reverse lookup waits
     * 10 s; {@code ip netns exec} mounts these files over /etc/resolv.conf and /etc/hosts.
     */
    private static void writeResolverFiles(LabState lab, LabNode node) {
        Path dir = NETNS_ETC.resolve(node.namespace());
        StringBuilder hosts = new StringBuilder("127.0.0.1 localhost\n::1 localhost\n");
        for (LabNode n : lab.namespaced()) hosts.append(n.address()).append(' ').append(n.name()).append(' ').append(n.namespace()).append('\n');
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("resolv.conf"), "nameserver 127.0.0.1\n");
            Files.writeString(dir.resolve("hosts"), hosts.toString());
        } catch (IOException e) {
            throw new LabException("cannot write " + dir + ": " + e.getMessage(), e);
        }
    }

    static Set<String> namespaces() {
        Set<String> names = new LinkedHashSet<>();
        for (String line : HostCommands.require("ip", "netns", "list").split("\n")) {
            if (!line.isBlank()) names.add(line.trim().split("\\s+")[0]);
        }
        return names;
    }

    static Set<String> links() {
        Set<String> names = new LinkedHashSet<>();
        for (String line : HostCommands.require("ip", "-o", "link", "show").split("\n")) {
            Matcher m = LINK_NAME.matcher(line);
            if (m.find()) names.add(m.group(1));
        }
        return names;
    }

    /** Every IPv4 prefix the machine has as an address or a route; a bare address counts as a /32. */
    static List<long[]> usedPrefixes() {
        String text = HostCommands.require("ip", "-o", "-4", "addr", "show") + "\n" + HostCommands.require("ip", "-4", "route", "show", "table", "all");
        List<long[]> prefixes = new ArrayList<>();
        Matcher m = IPV4_PREFIX.matcher(text);
        while (m.find()) {
            int len = m.group(5) == null ? 32 : Integer.parseInt(m.group(5));
            if (len == 0) continue; // a default route covers everything and clashes with nothing of a lab's
            long addr = 0;
            for (int i = 1; i <= 4; i++) addr = addr << 8 | Integer.parseInt(m.group(i));
            long mask = (0xFFFFFFFFL << (32 - len)) & 0xFFFFFFFFL;
            prefixes.add(new long[] {addr & mask, mask});
        }
        return prefixes;
    }

    /** Whether the /24 at {@code network} overlaps any of the prefixes. */
    static boolean clashes(long network, List<long[]> prefixes) {
        long mask24 = 0xFFFFFF00L;
        for (long[] p : prefixes) {
            long common = p[1] & mask24; // the shorter of the two masks
            if ((p[0] & common) == (network & common)) return true;
        }
        return false;
    }
}
