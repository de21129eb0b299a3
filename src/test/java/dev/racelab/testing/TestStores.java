package dev.racelab.testing;

import dev.racelab.store.StoreAddress;
import dev.racelab.store.StoreSettings;
import dev.racelab.store.Stores;
import java.util.List;
import java.util.UUID;

/**
 * The stores the tests run against: this machine's PostgreSQL and MariaDB (or the URLs in
 * RACELAB_POSTGRES_URL / RACELAB_MYSQL_URL), and one embedded PostgreSQL shared by the whole
 * test JVM. A server that is down makes the tests fail; nothing is skipped.
 */
public final class TestStores {
    private static StoreAddress embedded;
    private static StoreAddress dynamodb;

    private TestStores() {
    }

    public static StoreAddress postgres() {
        return Stores.provision("postgres", settings()).address();
    }

    public static StoreAddress mysql() {
        return Stores.provision("mysql", settings()).address();
    }

    public static synchronized StoreAddress embedded() {
        if (embedded == null) embedded = startOnce("embedded");
        return embedded;
    }

    /** This machine's Redis on 127.0.0.1:6379 (or RACELAB_REDIS_URL). */
    public static StoreAddress redis() {
        return Stores.provision("redis", settings()).address();
    }

    /** One DynamoDB Local, started in this JVM and shared by every test in it. */
    public static synchronized StoreAddress dynamodb() {
        if (dynamodb == null) dynamodb = startOnce("dynamodb");
        return dynamodb;
    }

    private static StoreAddress startOnce(String name) {
        Stores.Provisioned p = Stores.provision(name, settings());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                p.close();
            } catch (Exception ignored) {
                // the JVM is exiting anyway
            }
        }));
        return p.address();
    }

    public static StoreAddress byName(String name) {
        return switch (name) {
            case "postgres" -> postgres();
            case "mysql" -> mysql();
            case "embedded" -> embedded();
            case "redis" -> redis();
            case "dynamodb" -> dynamodb();
            default -> throw new IllegalArgumentException(name);
        };
    }

    public static List<String> names() {
        return List.of("postgres", "mysql", "embedded", "redis", "dynamodb");
    }

    public static StoreSettings settings() {
        return StoreSettings.resolve(null, null, null, null, null, System.getenv());
    }

    /** A key prefix no other test or earlier run uses. */
    public static String uniquePrefix() {
        return "test-" + UUID.randomUUID() + "/";
    }
}
