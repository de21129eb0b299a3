package dev.racelab.internal.store.etcd;

import dev.racelab.store.Capability;
import dev.racelab.store.Layout;
import dev.racelab.store.Provisioned;
import dev.racelab.store.Setting;
import dev.racelab.store.Store;
import dev.racelab.store.StoreAddress;
import dev.racelab.store.StoreProvider;
import dev.racelab.store.StoreSettings;
import java.util.List;
import java.util.Set;

/**
 * etcd leases through etcd's HTTP/JSON gateway, with java.net.http: no client library, so no
 * gRPC and Netty of a second version beside the ones the Redis and DynamoDB clients bring, and
 * every call is one JSON request that a reader can follow. At --etcd-url (one member or several,
 * comma-separated: a lab's ensemble), or on a one-member etcd racelab starts on loopback.
 */
public final class EtcdProvider implements StoreProvider {
    static final Setting URL = new Setting("etcd-url", "RACELAB_ETCD_URL", null, "http://HOST:PORT[,...]",
            "etcd members' client URLs; without one, a one-member etcd starts on loopback");

    @Override
    public String name() {
        return "etcd";
    }

    @Override
    public String description() {
        return "leases on etcd at " + URL.flag() + " (" + URL.env() + "), with the key's create revision as the fencing token;"
                + " or on one etcd started on loopback when none is given";
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.LEASE);
    }

    @Override
    public List<Setting> settings() {
        return List.of(URL);
    }

    @Override
    public Provisioned provision(StoreSettings settings) {
        String url = settings.get(URL);
        if (url != null) return Provisioned.at(new StoreAddress(name(), url));
        LocalEtcd etcd = LocalEtcd.start();
        return new Provisioned(new StoreAddress(name(), etcd.url()), etcd);
    }

    @Override
    public Store open(StoreAddress address, Layout layout, int poolSize) {
        return new EtcdStore(address);
    }
}
