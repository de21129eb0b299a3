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

    private TestStores() {
    }

    public static StoreAddress postgres() {
        return Stores.provision("postgres", settings()).address();
    }

    public static StoreAddress mysql() {
        return Stores.provision("mysql", settings()).address();
    }

    public static synchronized StoreAddress embedded() {
        if (embedded == null) {
            Stores.Provisioned p = Stores.provision("embedded", settings());
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    p.close();
                } catch (Exception ignored) {
                    // the JVM is exiting anyway
                }
            }));
            embedded = p.address();
        }
        return embedded;
    }

    public static StoreAddress byName(String name) {
        return switch (name) {
            case "postgres" -> postgres();
            case "mysql" -> mysql();
            case "embedded" -> embedded();
            default -> throw new IllegalArgumentException(name);
        };
    }

    public static List<String> names() {
        return List.of("postgres", "mysql", "embedded");
    }

    public static StoreSettings settings() {
        return StoreSettings.resolve(null, null, System.getenv());
    }

    /** A key prefix no other test or earlier run uses. */
    public static String uniquePrefix() {
        return "test-" + UUID.randomUUID() + "/";
    }
}
