package dev.racelab.internal.store.zookeeper;

import dev.racelab.core.StoreException;
import dev.racelab.store.Capability;
import dev.racelab.store.Layout;
import dev.racelab.internal.settings.Provisioned;
import dev.racelab.internal.faults.ServerControl;
import dev.racelab.internal.settings.Setting;
import dev.racelab.store.Store;
import dev.racelab.store.StoreAddress;
import dev.racelab.store.StoreProvider;
import dev.racelab.internal.settings.StoreSettings;
import dev.racelab.internal.settings.Provisioning;
import dev.racelab.internal.faults.ServerControls;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;

/** ZooKeeper leases: a ZooKeeper at --zookeeper-url, or one started in-process (Curator's TestingServer) when none is given. */
public final class ZooKeeperProvider implements StoreProvider, Provisioning, ServerControls {
    static final Setting URL = new Setting("zookeeper-url", "RACELAB_ZOOKEEPER_URL", null, "HOST:PORT",
            "ZooKeeper connect string; without one, an in-process ZooKeeper (Curator's TestingServer) starts");

    /**
     * The in-process server's clock and session bounds. ZooKeeper brings every session timeout
     * a client asks for into [minSessionTimeout, maxSessionTimeout], by default 2 and 20
     * ticks (4 s to 40 s at its usual 2 s tick); these let racelab ask for 1 s to 60 s, and a
     * short tick expires silent sessions close to their timeout.
     */
    static final int EMBEDDED_TICK_MS = 500;
    static final int EMBEDDED_MIN_SESSION_TIMEOUT_MS = 1_000;
    static final int EMBEDDED_MAX_SESSION_TIMEOUT_MS = 60_000;
    private static final int START_ATTEMPTS = 3;

    @Override
    public String name() {
        return "zookeeper";
    }

    @Override
    public String description() {
        return "leases on ZooKeeper at " + URL.flag() + " (" + URL.env() + "), or on one started in-process when none is given";
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
        EmbeddedZooKeeper server = new EmbeddedZooKeeper(startEmbedded());
        return new Provisioned(new StoreAddress(name(), server.connectString()), server);
    }

    /** The in-process server racelab started, or the one bin/start-services runs on loopback; no other. */
    @Override
    public Optional<ServerControl> control(Provisioned provisioned) {
        if (provisioned.server() instanceof EmbeddedZooKeeper embedded) return Optional.of(embedded);
        return LocalZooKeeperControl.forConnectString(provisioned.address().url());
    }

    /** On loopback, on a free port (tried again if another process takes it first), its data in a temporary directory deleted on close. */
    private static TestingServer startEmbedded() {
        Exception last = null;
        for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
            InstanceSpec spec = new InstanceSpec(null, -1, -1, -1, true, -1, EMBEDDED_TICK_MS, -1, Map.of(
                    "tickTime", Integer.toString(EMBEDDED_TICK_MS),
                    "minSessionTimeout", Integer.toString(EMBEDDED_MIN_SESSION_TIMEOUT_MS),
                    "maxSessionTimeout", Integer.toString(EMBEDDED_MAX_SESSION_TIMEOUT_MS),
                    "clientPortAddress", "127.0.0.1"), "127.0.0.1");
            try {
                return new TestingServer(spec, true);
            } catch (Exception e) {
                last = e;
            }
        }
        throw new StoreException("could not start ZooKeeper in-process: " + last, last, false);
    }

    @Override
    public Store open(StoreAddress address, Layout layout, int poolSize) {
        return ZooKeeperStore.open(address);
    }
}
