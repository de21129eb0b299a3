package dev.racelab.internal.run;

import java.util.List;

/**
 * Where the worker JVMs run: on this machine as it is (none given), or on lab hosts in turn,
 * instance i on host i modulo their number. A host is a command prefix ({@code ip netns exec NS})
 * that replaces itself with the JVM, so the pid racelab holds and signals is the JVM's own.
 */
public record ClientHosts(List<Host> hosts) {
    /** A host a worker can run on: its name in the lab and the command that runs a program there. */
    public record Host(String name, List<String> commandPrefix) {
        public Host {
            commandPrefix = List.copyOf(commandPrefix);
        }
    }

    public static final ClientHosts HERE = new ClientHosts(List.of());

    public ClientHosts {
        hosts = List.copyOf(hosts);
    }

    /** The prefix for instance {@code i}'s command; empty on this machine as it is. */
    List<String> prefixFor(int instance) {
        return hosts.isEmpty() ? List.of() : hosts.get(instance % hosts.size()).commandPrefix();
    }

    /** The hosts' names, in the order given. */
    public List<String> names() {
        return hosts.stream().map(Host::name).toList();
    }
}
