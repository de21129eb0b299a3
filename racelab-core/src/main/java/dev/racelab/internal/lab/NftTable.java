package dev.racelab.internal.lab;

/** An nftables table racelab made inside a lab node's namespace (never in the root namespace). */
public record NftTable(String namespace, String family, String name) {
}
