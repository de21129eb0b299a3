package dev.racelab.internal.store.redis;

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

/** The Redis stores: this machine's server, or one racelab starts. Cells have one layout here. */
public abstract class RedisProvider implements StoreProvider, Provisioning {
    static final Setting REDIS_URL = new Setting("redis-url", "RACELAB_REDIS_URL", "redis://127.0.0.1:6379", "URL",
            "Redis URL, redis://[:password@]host:port[/db]");

    @Override
    public Set<Capability> capabilities() {
        return RedisStore.CAPABILITIES;
    }

    @Override
    public Store open(StoreAddress address, Layout layout, int poolSize) {
        return RedisStore.open(address, poolSize);
    }

    /** A Redis server at --redis-url. */
    public static final class Server extends RedisProvider {
        @Override
        public String name() {
            return "redis";
        }

        @Override
        public String description() {
            return "a Redis server (" + REDIS_URL.flag() + ", " + REDIS_URL.env() + "; default " + REDIS_URL.defaultValue() + ")";
        }

        @Override
        public List<Setting> settings() {
            return List.of(REDIS_URL);
        }

        @Override
        public Provisioned provision(StoreSettings settings) {
            return Provisioned.at(new StoreAddress(name(), settings.get(REDIS_URL)));
        }
    }

    /** A redis-server started by racelab from a Maven artifact, for this run only. */
    public static final class Embedded extends RedisProvider {
        @Override
        public String name() {
            return "redis-embedded";
        }

        @Override
        public String description() {
            return "a Redis started by racelab from a Maven artifact (no server needed)";
        }

        static final Setting PERSISTENCE = new Setting("redis-persistence", "RACELAB_REDIS_PERSISTENCE", "none", "MODE",
                "redis-embedded: what the Redis racelab starts keeps on disk, so what survives a restart: none, or aof-always"
                        + " (an append-only file fsynced after every write)");

        @Override
        public List<Setting> settings() {
            return List.of(PERSISTENCE);
        }

        @Override
        public Provisioned provision(StoreSettings settings) {
            EmbeddedRedisServer server = EmbeddedRedisServer.start(RedisPersistence.named(settings.get(PERSISTENCE)));
            return new Provisioned(new StoreAddress(name(), server.url()), server);
        }
    }
}
