package dev.racelab.store;

import dev.racelab.core.UsageException;
import dev.racelab.store.jdbc.Dialect;
import dev.racelab.store.jdbc.EmbeddedPostgresServer;
import dev.racelab.store.jdbc.JdbcStore;
import java.util.List;
import java.util.Set;

/** The stores racelab knows, by name, with what each can do. */
public final class Stores {
    /** One store the user can name. {@code engine} says which code serves it. */
    public record Entry(String name, String engine, String description) {
        public Set<Capability> capabilities() {
            return dialect(engine).capabilities();
        }
    }

    private static final List<Entry> ENTRIES = List.of(
            new Entry("embedded", "postgres", "a PostgreSQL started in-process from a Maven artifact (no server needed)"),
            new Entry("postgres", "postgres", "a PostgreSQL server (--postgres-url, RACELAB_POSTGRES_URL)"),
            new Entry("mysql", "mysql", "a MariaDB or MySQL server (--mysql-url, RACELAB_MYSQL_URL)"));

    private Stores() {
    }

    public static List<Entry> all() {
        return ENTRIES;
    }

    public static Entry entry(String name) {
        return ENTRIES.stream().filter(e -> e.name().equals(name)).findFirst()
                .orElseThrow(() -> new UsageException("unknown store '" + name + "'; choose one of: "
                        + String.join(", ", ENTRIES.stream().map(Entry::name).toList())));
    }

    /** A store's address, plus the server racelab started for it (embedded) to stop at the end. */
    public record Provisioned(StoreAddress address, AutoCloseable server) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            if (server != null) server.close();
        }
    }

    /** Resolves a store name to an address; starts the embedded server when that is the one named. */
    public static Provisioned provision(String name, StoreSettings settings) {
        Entry entry = entry(name);
        return switch (name) {
            case "embedded" -> {
                EmbeddedPostgresServer server = EmbeddedPostgresServer.start();
                yield new Provisioned(new StoreAddress(name, entry.engine(), server.jdbcUrl()), server);
            }
            case "postgres" -> new Provisioned(new StoreAddress(name, entry.engine(), settings.postgresUrl()), null);
            case "mysql" -> new Provisioned(new StoreAddress(name, entry.engine(), settings.mysqlUrl()), null);
            default -> throw new IllegalStateException("no provisioning for store " + name);
        };
    }

    public static Store open(StoreAddress address, Layout layout, int poolSize) {
        return JdbcStore.open(address.name(), dialect(address.engine()), address.url(), layout, poolSize);
    }

    private static Dialect dialect(String engine) {
        return switch (engine) {
            case "postgres" -> Dialect.POSTGRES;
            case "mysql" -> Dialect.MYSQL;
            default -> throw new IllegalArgumentException("unknown engine " + engine);
        };
    }
}
