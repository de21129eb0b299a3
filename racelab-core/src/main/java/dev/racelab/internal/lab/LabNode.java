package dev.racelab.internal.lab;

/**
 * One host of a lab: a network namespace with one address on the lab's bridge, reached from the
 * root namespace through the veth {@code hostLink} (its other end is {@code eth0} inside).
 */
// a state file written by a newer racelab (more fields) is still read: down must remove that lab too
@com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
public record LabNode(String name, String namespace, String address, String hostLink) {
}
