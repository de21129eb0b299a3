package dev.racelab.internal.lab;

/** An nftables table racelab made inside a lab node's namespace (never in the root namespace). */
// a state file written by a newer racelab (more fields) is still read: down must remove that lab too
@com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
public record NftTable(String namespace, String family, String name) {
}
