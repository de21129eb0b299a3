package dev.racelab.internal.store.etcd;

import com.fasterxml.jackson.databind.JsonNode;
import dev.racelab.store.Capability;
import dev.racelab.store.Lease;
import dev.racelab.store.LeaseStore;
import dev.racelab.store.StoreAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Leases on etcd, as etcd's own lock recipe takes them, without a session that renews them: a
 * lease of the TTL asked for (etcd rounds it up to its minimum, 2 s by default), and a key put
 * with that lease only if the key does not exist (a transaction comparing its create revision
 * with 0). The holder's token is the key's value. The fencing token is the revision the key was
 * created at: etcd's revisions only grow, across every key, so each grant's is higher than any
 * before it. When the holder falls silent the lease runs out and etcd deletes the key. A
 * release deletes the key only while its value is still the holder's token, then revokes the lease.
 */
final class EtcdStore implements LeaseStore {
    private static final String PREFIX = "racelab/leases/";

    private final EtcdGateway gateway;

    EtcdStore(StoreAddress address) {
        this.gateway = new EtcdGateway(address.url());
    }

    @Override
    public String name() {
        return "etcd";
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.LEASE);
    }

    @Override
    public String identity() {
        return "etcd@" + Integer.toHexString(gateway.describe().hashCode());
    }

    @Override
    public Optional<Lease> tryLease(String name, Duration ttl) {
        long seconds = Math.max(1, (ttl.toMillis() + 999) / 1000);
        long leaseId = gateway.call("/v3/lease/grant", Map.of("TTL", seconds), "grant a lease for " + name).path("ID").asLong();
        String token = UUID.randomUUID() + ":" + Long.toHexString(leaseId);
        String key = EtcdGateway.base64(PREFIX + name);
        JsonNode answer = gateway.call("/v3/kv/txn", Map.of(
                "compare", List.of(Map.of("key", key, "target", "CREATE", "create_revision", "0")),
                "success", List.of(Map.of("request_put", Map.of("key", key, "value", EtcdGateway.base64(token), "lease", leaseId)))),
                "take the lease " + name);
        if (!answer.path("succeeded").asBoolean(false)) {
            revoke(leaseId, name);
            return Optional.empty();
        }
        // the put is the transaction's one write, so the header's revision is the key's create revision
        return Optional.of(new Lease(name, token, answer.path("header").path("revision").asLong()));
    }

    @Override
    public boolean releaseLease(Lease lease) {
        String key = EtcdGateway.base64(PREFIX + lease.name());
        JsonNode answer = gateway.call("/v3/kv/txn", Map.of(
                "compare", List.of(Map.of("key", key, "target", "VALUE", "value", EtcdGateway.base64(lease.token()))),
                "success", List.of(Map.of("request_delete_range", Map.of("key", key)))),
                "release the lease " + lease.name());
        boolean released = answer.path("succeeded").asBoolean(false);
        int colon = lease.token().lastIndexOf(':');
        if (released && colon > 0) revoke(Long.parseUnsignedLong(lease.token().substring(colon + 1), 16), lease.name());
        return released;
    }

    /** Gives a lease back early; one that already ran out is no error. */
    private void revoke(long leaseId, String name) {
        try {
            gateway.call("/v3/lease/revoke", Map.of("ID", leaseId), "revoke the lease of " + name);
        } catch (dev.racelab.core.StoreException e) {
            if (!String.valueOf(e.getMessage()).contains("requested lease not found")) throw e;
        }
    }

    @Override
    public void close() {
        // one HTTP client, no session: nothing to give back
    }
}
