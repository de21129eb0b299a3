package dev.racelab.internal.store.redisson;

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

/** Redisson's lock recipes as a lease store, over the Redis at --redis-url. Leases only: no cells. */
public final class RedissonProvider implements StoreProvider, Provisioning {
    /**
     * The same setting as the redis store's (same key, variable and default), declared here
     * again because no store package may import another; the registry shows a shared setting once.
     */
    static final Setting REDIS_URL = new Setting("redis-url", "RACELAB_REDIS_URL", "redis://127.0.0.1:6379", "URL",
            "Redis URL, redis://[:password@]host:port[/db]");

    @Override
    public String name() {
        return "redisson";
    }

    @Override
    public String description() {
        return "Redisson's RLock and RFencedLock over the Redis at " + REDIS_URL.flag();
    }

    @Override
    public Set<Capability> capabilities() {
        return RedissonStore.CAPABILITIES;
    }

    @Override
    public List<Setting> settings() {
        return List.of(REDIS_URL);
    }

    @Override
    public Provisioned provision(StoreSettings settings) {
        return Provisioned.at(new StoreAddress(name(), settings.get(REDIS_URL)));
    }

    @Override
    public Store open(StoreAddress address, Layout layout, int poolSize) {
        return RedissonStore.open(address, poolSize);
    }
}
