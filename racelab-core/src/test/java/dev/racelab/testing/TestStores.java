package dev.racelab.testing;

import dev.racelab.internal.registry.StoreRegistry;
import dev.racelab.store.Layout;
import dev.racelab.internal.settings.Provisioned;
import dev.racelab.store.Store;
import dev.racelab.store.StoreAddress;
import dev.racelab.internal.settings.StoreSettings;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The stores the tests run against, one address per registered store: this machine's
 * PostgreSQL, MariaDB and Redis (or the URLs in RACELAB_POSTGRES_URL, ...), and one of each
 * embedded server (PostgreSQL, Redis, DynamoDB Local), started once for the whole test JVM. A
 * server that is down makes the tests fail; nothing is skipped.
 */
public final class TestStores {
    private static final Map<String, StoreAddress> STARTED = new HashMap<>();

    private TestStores() {
    }

    public static StoreAddress postgres() {
        return byName("postgres");
    }

    public static StoreAddress mysql() {
        return byName("mysql");
    }

    public static StoreAddress embedded() {
        return byName("embedded");
    }

    /** This machine's Redis on 127.0.0.1:6379 (or RACELAB_REDIS_URL). */
    public static StoreAddress redis() {
        return byName("redis");
    }

    /** One DynamoDB Local, started in this JVM and shared by every test in it. */
    public static StoreAddress dynamodb() {
        return byName("dynamodb");
    }

    /** The address of a registered store; a store racelab starts is started once and stopped when the JVM exits. */
    public static synchronized StoreAddress byName(String name) {
        StoreAddress known = STARTED.get(name);
        if (known != null) return known;
        Provisioned p = StoreRegistry.current().provision(name, settings());
        if (p.server() != null) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    p.close();
                } catch (Exception ignored) {
                    // the JVM is exiting anyway
                }
            }));
        }
        STARTED.put(name, p.address());
        return p.address();
    }

    /** Every registered store: the contract and strategy tests run on each. */
    public static List<String> names() {
        return StoreRegistry.current().names();
    }

    /** The registered store as the role contracts open it: keyed cells, a pool for 4 threads. */
    public static Store open(String name) {
        return open(byName(name), Layout.KEYED, 4);
    }

    public static Store open(StoreAddress address, Layout layout, int poolSize) {
        return StoreRegistry.current().open(address, layout, poolSize);
    }

    public static StoreSettings settings() {
        return StoreSettings.fromEnvironment();
    }

    /** A key prefix no other test or earlier run uses. */
    public static String uniquePrefix() {
        return "test-" + UUID.randomUUID() + "/";
    }
}
