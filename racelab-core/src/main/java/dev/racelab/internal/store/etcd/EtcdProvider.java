package dev.racelab.internal.store.etcd;

import dev.racelab.store.Capability;
import dev.racelab.store.Layout;
import dev.racelab.internal.settings.Provisioned;
import dev.racelab.internal.settings.Setting;
import dev.racelab.store.Store;
import dev.racelab.store.StoreAddress;
import dev.racelab.store.StoreProvider;
import dev.racelab.internal.settings.StoreSettings;
import dev.racelab.internal.settings.Provisioning;
import java.util.List;
import java.util.Set;

/** etcd leases: an etcd at --etcd-url (its v3 HTTP/JSON gateway), or a local one racelab starts when none is given. */
public final class EtcdProvider implements StoreProvider, Provisioning {
    static final Setting URL = new Setting("etcd-url", "RACELAB_ETCD_URL", null, "http://HOST:PORT[,...]",
            "etcd client endpoints; without one, racelab starts etcd (/usr/bin/etcd) on loopback");
    /**
     * The longest lease asked of etcd, whatever --lease-ttl says: what a lab's etcd sets, as a
     * ZooKeeper ensemble's maxSessionTimeout bounds the sessions its leases live in.
     */
    static final Setting MAX_LEASE_TTL = new Setting("etcd-max-lease-ttl-ms", "RACELAB_ETCD_MAX_LEASE_TTL_MS", null, "MS",
            "the longest etcd lease racelab asks for, whatever --lease-ttl says (a lab's etcd sets it)");

    @Override
    public String name() {
        return EtcdStore.NAME;
    }

    @Override
    public String description() {
        return "leases on etcd at " + URL.flag() + " (" + URL.env() + "), fenced by the key's revision, or on one racelab starts on loopback";
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.LEASE);
    }

    @Override
    public List<Setting> settings() {
        return List.of(URL, MAX_LEASE_TTL);
    }

    @Override
    public Provisioned provision(StoreSettings settings) {
        String url = settings.get(URL);
        String max = settings.get(MAX_LEASE_TTL);
        java.util.Map<String, String> options = max == null ? java.util.Map.of() : java.util.Map.of(EtcdStore.MAX_LEASE_TTL_OPTION, max);
        if (url != null) return Provisioned.at(new StoreAddress(name(), url, options));
        LocalEtcd etcd = LocalEtcd.start();
        return new Provisioned(new StoreAddress(name(), etcd.url(), options), etcd);
    }

    @Override
    public Store open(StoreAddress address, Layout layout, int poolSize) {
        return EtcdStore.open(address);
    }
}
