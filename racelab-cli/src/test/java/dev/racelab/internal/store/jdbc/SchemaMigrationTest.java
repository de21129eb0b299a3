package dev.racelab.internal.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racelab.core.Cell;
import dev.racelab.core.Change;
import dev.racelab.core.Operation;
import dev.racelab.store.Layout;
import dev.racelab.store.StoreAddress;
import dev.racelab.testing.TestStores;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * racelab's tables carry a schema version, and opening a store brings an older schema up to
 * date with its data kept. Each case makes an empty database of its own on this machine's
 * server, so tables left by other tests prove nothing, and drops it afterwards.
 */
class SchemaMigrationTest {
    /** The tables exactly as racelab made them before the schema had a version (commit 30b7d09). */
    private static final List<String> UNVERSIONED_TABLES = List.of(
            "CREATE TABLE racelab_cell (k VARCHAR(200) NOT NULL PRIMARY KEY, v BIGINT NOT NULL, version BIGINT NOT NULL)",
            "CREATE TABLE racelab_guard (k VARCHAR(200) NOT NULL PRIMARY KEY)");

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "mysql"})
    void tablesFromBeforeVersioningAreMigratedWithTheirDataKept(String server) throws Exception {
        inFreshDatabase(server, url -> {
            execute(url, UNVERSIONED_TABLES.get(0));
            execute(url, UNVERSIONED_TABLES.get(1));
            execute(url, "INSERT INTO racelab_cell (k, v, version) VALUES ('old/a', 41, 7)");
            execute(url, "INSERT INTO racelab_guard (k) VALUES ('old/order:1')");
            assertThat(columns(url, "racelab_cell")).doesNotContain("fence");

            try (JdbcStore store = (JdbcStore) TestStores.open(new StoreAddress(server, url), Layout.KEYED, 2)) {
                assertThat(store.read("old/a")).as("the cell an older racelab left").isEqualTo(new Cell("old/a", 41, 7));
                assertThat(store.guards("old/")).containsExactly("old/order:1");
                assertThat(store.add(new Change("old/a", 1), Operation.NO_FLOOR)).isTrue();
                assertThat(store.read("old/a")).isEqualTo(new Cell("old/a", 42, 8));
            }
            assertThat(version(url)).isEqualTo(Schema.LATEST);
            assertThat(columns(url, "racelab_cell")).contains("k", "v", "version", "fence");
            assertThat(columns(url, "racelab_cell_keyless")).as("created by version 1 where it was missing").contains("fence");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "mysql"})
    void storesOpenedAtOnceMigrateOnceAndAllWork(String server) throws Exception {
        inFreshDatabase(server, url -> {
            execute(url, UNVERSIONED_TABLES.get(0));
            execute(url, UNVERSIONED_TABLES.get(1));
            int openers = 8;
            CyclicBarrier together = new CyclicBarrier(openers);
            List<CompletableFuture<Long>> opened = new ArrayList<>();
            for (int i = 0; i < openers; i++) {
                String key = "race/" + i;
                opened.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        together.await(30, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                    try (JdbcStore store = (JdbcStore) TestStores.open(new StoreAddress(server, url), Layout.KEYED, 1)) {
                        store.createCells(List.of(new Cell(key, 1, 0)));
                        return store.read(key).value();
                    }
                }, runnable -> Thread.ofPlatform().daemon().start(runnable)));
            }
            for (CompletableFuture<Long> f : opened) assertThat(f.get(120, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(version(url)).isEqualTo(Schema.LATEST);
            assertThat(rows(url, "SELECT COUNT(*) FROM " + Schema.VERSION_TABLE)).as("one version row").isEqualTo(1);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "mysql"})
    void aCurrentSchemaIsLeftAsItIs(String server) throws Exception {
        inFreshDatabase(server, url -> {
            try (JdbcStore ignored = (JdbcStore) TestStores.open(new StoreAddress(server, url), Layout.KEYED, 1)) {
                assertThat(version(url)).isEqualTo(Schema.LATEST);
            }
            try (Connection c = DriverManager.getConnection(url)) {
                assertThat(Schema.migrate(c, server.equals("postgres") ? Dialect.POSTGRES : Dialect.MYSQL))
                        .as("the version found on the second open").isEqualTo(Schema.LATEST);
            }
        });
    }

    private interface InDatabase {
        void run(String url) throws Exception;
    }

    private static void inFreshDatabase(String server, InDatabase body) throws Exception {
        String serverUrl = TestStores.byName(server).url();
        String database = "racelab_migrate_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        FreshDatabaseTest.createDatabase(serverUrl, database);
        try {
            body.run(FreshDatabaseTest.withDatabase(serverUrl, database));
        } finally {
            FreshDatabaseTest.dropDatabase(serverUrl, database);
        }
    }

    private static int version(String url) throws SQLException {
        try (Connection c = DriverManager.getConnection(url)) {
            return Schema.version(c);
        }
    }

    private static long rows(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<String> columns(String url, String table) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url);
             ResultSet rs = c.getMetaData().getColumns(c.getCatalog(), c.getSchema(), table, null)) {
            while (rs.next()) names.add(rs.getString("COLUMN_NAME").toLowerCase(java.util.Locale.ROOT));
        }
        return names;
    }

    private static void execute(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
