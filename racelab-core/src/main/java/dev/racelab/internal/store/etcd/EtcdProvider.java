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

/** etcd leases: an etcd at --etcd-url (its v3 HTTP/JSON gateway), or a local one racelab starts when none is given. */
public final class EtcdProvider implements StoreProvider {
    static final Setting URL = new Setting("etcd-url", "RACELAB_ETCD_URL", null, "http://HOST:PORT[,...]",
            "etcd client endpoints; without one, racelab starts etcd (/usr/bin/etcd) on loopback");

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
        return EtcdStore.open(address);
    }
}
