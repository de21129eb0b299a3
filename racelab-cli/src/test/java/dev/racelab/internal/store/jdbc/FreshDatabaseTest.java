package dev.racelab.internal.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.racelab.core.Cell;
import dev.racelab.core.Change;
import dev.racelab.core.Clock;
import dev.racelab.core.NoSuchCellException;
import dev.racelab.core.Operation;
import dev.racelab.internal.http.RaceService;
import dev.racelab.internal.http.Reply;
import dev.racelab.store.Layout;
import dev.racelab.store.StoreAddress;
import dev.racelab.store.StoreRoles;
import dev.racelab.testing.TestStores;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A store opened on a database racelab has never seen works at once: every primitive, and the
 * service's first read, which once failed on a fresh machine with "relation racelab_cell does
 * not exist" because only createCells made the tables. Each case makes its own empty database
 * on this machine's server and drops it afterwards, so tables left by other tests prove nothing.
 */
class FreshDatabaseTest {
    private static final Pattern DATABASE_IN_URL = Pattern.compile("^(jdbc:[a-z]+://[^/]+/)([^?;]*)(.*)$");

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "mysql"})
    void everyPrimitiveWorksOnAnEmptyDatabase(String engine) throws Exception {
        StoreAddress server = TestStores.byName(engine);
        String database = "racelab_fresh_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        createDatabase(server.url(), database);
        try {
            StoreAddress fresh = new StoreAddress(server.name(), withDatabase(server.url(), database));
            try (var store = TestStores.open(fresh, Layout.KEYED, 2)) {
                RaceService service = new RaceService(StoreRoles.of(store), Clock.SYSTEM);
                service.createMissingData(1);
                Reply balance = service.balance("1");
                assertThat(balance.status()).isEqualTo(200);
                assertThat(balance.body()).containsEntry("balance", new BigDecimal("1000.00"));
            }
            try (var store = (JdbcStore) TestStores.open(fresh, Layout.KEYED, 2)) {
                assertThat(store.insertGuard("fresh/g")).isTrue();
                assertThat(store.guards("fresh/")).containsExactly("fresh/g");
                store.createCells(List.of(new Cell("fresh/c", 5, 0)));
                assertThat(store.add(new Change("fresh/c", 2), Operation.NO_FLOOR)).isTrue();
                assertThat(store.read("fresh/c").value()).isEqualTo(7);
            }
            try (var keyless = (JdbcStore) TestStores.open(fresh, Layout.KEYLESS, 1)) {
                assertThatThrownBy(() -> keyless.read("fresh/k")).isInstanceOf(NoSuchCellException.class);
                keyless.createCells(List.of(new Cell("fresh/k", 1, 0)));
                assertThat(keyless.read("fresh/k").value()).isEqualTo(1);
            }
        } finally {
            dropDatabase(server.url(), database);
        }
    }

    static String withDatabase(String url, String database) {
        Matcher m = DATABASE_IN_URL.matcher(url);
        if (!m.matches()) throw new IllegalArgumentException("no database in " + url);
        return m.group(1) + database + m.group(3);
    }

    static void createDatabase(String url, String database) throws SQLException {
        admin(url, "CREATE DATABASE " + database);
    }

    static void dropDatabase(String url, String database) throws SQLException {
        admin(url, "DROP DATABASE IF EXISTS " + database);
    }

    private static void admin(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
