package dev.racelab.internal.lab;

import java.nio.file.Path;
import java.util.Map;

/**
 * A lab's plain hosts as {@code racelab run --lab NAME --hosts} reaches them: the key root logs in
 * with, the known_hosts file with each host's key, and each host's address by name (h1, ...).
 */
public record LabSshHosts(String lab, Path key, Path knownHosts, Map<String, String> addresses) {
    public LabSshHosts {
        addresses = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(addresses));
    }
}
