package dev.racelab.store;

import static dev.racelab.store.Capability.ATOMIC_ADD;
import static dev.racelab.store.Capability.ATOMIC_GUARD;
import static dev.racelab.store.Capability.CAS;
import static dev.racelab.store.Capability.GUARD_ROW;
import static dev.racelab.store.Capability.LEASE;
import static dev.racelab.store.Capability.READ_WRITE;

import dev.racelab.core.UsageException;
import dev.racelab.store.dynamodb.DynamoLocalServer;
import dev.racelab.store.dynamodb.DynamoStore;
import dev.racelab.store.jdbc.Dialect;
import dev.racelab.store.jdbc.EmbeddedPostgresServer;
import dev.racelab.store.jdbc.JdbcStore;
import dev.racelab.store.redis.EmbeddedRedisServer;
import dev.racelab.store.redis.RedisStore;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The stores racelab knows, by name, with what each can do. */
public final class Stores {
    /** One store the user can name. {@code engine} says which code serves it. */
    public record Entry(String name, String engine, String description, Set<Capability> capabilities) {
        public Entry {
            capabilities = Set.copyOf(capabilities);
        }

        /** Whether the store keeps cells in SQL tables (and so can log another store's orders). */
        public boolean isSql() {
            return engine.equals("postgres") || engine.equals("mysql");
        }
    }

    private static final Set<Capability> REDIS = Set.of(READ_WRITE, ATOMIC_ADD, CAS, GUARD_ROW, ATOMIC_GUARD, LEASE);
    private static final Set<Capability> DYNAMODB = Set.of(READ_WRITE, ATOMIC_ADD, CAS, GUARD_ROW, ATOMIC_GUARD);

    private static final List<Entry> ENTRIES = List.of(
            new Entry("embedded", "postgres", "a PostgreSQL started in-process from a Maven artifact (no server needed)",
                    Dialect.POSTGRES.capabilities()),
            new Entry("postgres", "postgres", "a PostgreSQL server (--postgres-url, RACELAB_POSTGRES_URL)",
                    Dialect.POSTGRES.capabilities()),
            new Entry("mysql", "mysql", "a MariaDB or MySQL server (--mysql-url, RACELAB_MYSQL_URL)",
                    Dialect.MYSQL.capabilities()),
            new Entry("redis", "redis", "a Redis server (--redis-url, RACELAB_REDIS_URL; default " + StoreSettings.DEFAULT_REDIS_URL + ")",
                    REDIS),
            new Entry("redis-embedded", "redis", "a Redis started by racelab from a Maven artifact (no server needed)", REDIS),
            new Entry("dynamodb", "dynamodb", "DynamoDB at --dynamodb-url (RACELAB_DYNAMODB_URL), or DynamoDB Local"
                    + " started in-process when none is given", DYNAMODB));

    private Stores() {
    }

    public static List<Entry> all() {
        return ENTRIES;
    }

    public static List<String> names() {
        return ENTRIES.stream().map(Entry::name).toList();
    }

    public static Entry entry(String name) {
        return ENTRIES.stream().filter(e -> e.name().equals(name)).findFirst()
                .orElseThrow(() -> new UsageException("unknown store '" + name + "'; choose one of: "
                        + String.join(", ", names())));
    }

    /** A store's address, plus the server racelab started for it (embedded) to stop at the end. */
    public record Provisioned(StoreAddress address, AutoCloseable server) implements AutoCloseable {
        @Override
        public void close() {
            if (server == null) return;
            try {
                server.close();
            } catch (Exception e) {
                throw new dev.racelab.core.StoreException("could not stop the " + address.name() + " server racelab started: "
                        + e.getMessage(), e, false);
            }
        }
    }

    /** Resolves a store name to an address; starts an in-process server when that is what the name means. */
    public static Provisioned provision(String name, StoreSettings settings) {
        Entry entry = entry(name);
        return switch (name) {
            case "embedded" -> {
                EmbeddedPostgresServer server = EmbeddedPostgresServer.start();
                yield new Provisioned(new StoreAddress(name, entry.engine(), server.jdbcUrl()), server);
            }
            case "postgres" -> new Provisioned(new StoreAddress(name, entry.engine(), settings.postgresUrl()), null);
            case "mysql" -> new Provisioned(new StoreAddress(name, entry.engine(), settings.mysqlUrl()), null);
            case "redis" -> new Provisioned(new StoreAddress(name, entry.engine(), settings.redisUrl()), null);
            case "redis-embedded" -> {
                EmbeddedRedisServer server = EmbeddedRedisServer.start();
                yield new Provisioned(new StoreAddress(name, entry.engine(), server.url()), server);
            }
            case "dynamodb" -> {
                Map<String, String> options = Map.of(DynamoStore.REGION_OPTION, settings.dynamodbRegion());
                if (settings.dynamodbUrl() != null) {
                    yield new Provisioned(new StoreAddress(name, entry.engine(), settings.dynamodbUrl(), options), null);
                }
                DynamoLocalServer server = DynamoLocalServer.start();
                yield new Provisioned(new StoreAddress(name, entry.engine(), server.url(),
                        Map.of(DynamoStore.REGION_OPTION, settings.dynamodbRegion(), DynamoStore.LOCAL_OPTION, "true")), server);
            }
            default -> throw new IllegalStateException("no provisioning for store " + name);
        };
    }

    /** Connects to a store; {@code poolSize} is how many threads will use it at once. */
    public static Store open(StoreAddress address, Layout layout, int poolSize) {
        return switch (address.engine()) {
            case "postgres" -> JdbcStore.open(address.name(), Dialect.POSTGRES, address.url(), layout, poolSize);
            case "mysql" -> JdbcStore.open(address.name(), Dialect.MYSQL, address.url(), layout, poolSize);
            case "redis" -> RedisStore.open(address, poolSize);
            case "dynamodb" -> DynamoStore.open(address, poolSize);
            default -> throw new IllegalArgumentException("unknown engine " + address.engine());
        };
    }
}
