package dev.racelab.internal.lab;

/**
 * One host of a lab: a network namespace with one address on the lab's bridge, reached from the
 * root namespace through the veth {@code hostLink} (its other end is {@code eth0} inside).
 */
public record LabNode(String name, String namespace, String address, String hostLink) {
}
