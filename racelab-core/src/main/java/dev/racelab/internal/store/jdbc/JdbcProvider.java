package dev.racelab.internal.store.jdbc;

import dev.racelab.store.Capability;
import dev.racelab.store.Layout;
import dev.racelab.internal.settings.Provisioned;
import dev.racelab.internal.settings.Setting;
import dev.racelab.store.Store;
import dev.racelab.store.StoreAddress;
import dev.racelab.store.StoreProvider;
import dev.racelab.internal.settings.StoreSettings;
import dev.racelab.internal.settings.Provisioning;
import dev.racelab.internal.faults.ServerControls;
import java.util.List;
import java.util.Set;

/** What the SQL stores share: a dialect, a JDBC URL from one setting, and {@link JdbcStore}. */
public abstract class JdbcProvider implements StoreProvider, Provisioning {
    static final Setting POSTGRES_URL = new Setting("postgres-url", "RACELAB_POSTGRES_URL",
            "jdbc:postgresql://127.0.0.1:5432/test?user=postgres", "JDBC_URL", "PostgreSQL JDBC URL");
    static final Setting MYSQL_URL = new Setting("mysql-url", "RACELAB_MYSQL_URL",
            "jdbc:mariadb://127.0.0.1:3306/test?user=root&password=", "JDBC_URL",
            "MariaDB/MySQL JDBC URL, jdbc:mariadb: or jdbc:mysql:");

    private final Dialect dialect;

    JdbcProvider(Dialect dialect) {
        this.dialect = dialect;
    }

    @Override
    public Set<Capability> capabilities() {
        return dialect.capabilities();
    }

    /** Where the user sets the URL, for an error about a server that did not answer; empty when racelab started it. */
    abstract String whereToSetTheUrl();

    @Override
    public Store open(StoreAddress address, Layout layout, int poolSize) {
        return JdbcStore.open(address.name(), dialect, address.url(), layout, poolSize, whereToSetTheUrl());
    }

    static String hint(String server, Setting url) {
        return "is " + server + " running? set " + url.flag() + " or " + url.env();
    }

    /** A PostgreSQL server. */
    public static final class Postgres extends JdbcProvider implements ServerControls {
        public Postgres() {
            super(Dialect.POSTGRES);
        }

        @Override
        public String name() {
            return "postgres";
        }

        @Override
        public String description() {
            return "a PostgreSQL server (" + POSTGRES_URL.flag() + ", " + POSTGRES_URL.env() + ")";
        }

        @Override
        public List<Setting> settings() {
            return List.of(POSTGRES_URL);
        }

        @Override
        public Provisioned provision(StoreSettings settings) {
            return Provisioned.at(new StoreAddress(name(), settings.get(POSTGRES_URL)));
        }

        @Override
        String whereToSetTheUrl() {
            return hint("PostgreSQL", POSTGRES_URL);
        }

        /** This machine's cluster, on loopback, by bin/start-services' command; no other server. */
        @Override
        public java.util.Optional<dev.racelab.internal.faults.ServerControl> control(Provisioned provisioned) {
            return LocalPostgresControl.forUrl(provisioned.address().url());
        }
    }

    /** A MariaDB or MySQL server, through the MariaDB driver. */
    public static final class Mysql extends JdbcProvider implements ServerControls {
        public Mysql() {
            super(Dialect.MYSQL);
        }

        @Override
        public String name() {
            return "mysql";
        }

        @Override
        public String description() {
            return "a MariaDB or MySQL server (" + MYSQL_URL.flag() + ", " + MYSQL_URL.env() + ")";
        }

        @Override
        public List<Setting> settings() {
            return List.of(MYSQL_URL);
        }

        @Override
        public Provisioned provision(StoreSettings settings) {
            return Provisioned.at(new StoreAddress(name(), JdbcUrls.normalizeMysql(settings.get(MYSQL_URL))));
        }

        @Override
        String whereToSetTheUrl() {
            return hint("MariaDB/MySQL", MYSQL_URL);
        }

        /** This machine's MariaDB on loopback, by bin/start-services' command and its pid file; no other server. */
        @Override
        public java.util.Optional<dev.racelab.internal.faults.ServerControl> control(Provisioned provisioned) {
            return LocalMariaDbControl.forUrl(provisioned.address().url());
        }
    }

    /** A real PostgreSQL started in-process from a Maven artifact: no server needed. */
    public static final class Embedded extends JdbcProvider {
        public Embedded() {
            super(Dialect.POSTGRES);
        }

        @Override
        public String name() {
            return "embedded";
        }

        @Override
        public String description() {
            return "a PostgreSQL started in-process from a Maven artifact (no server needed)";
        }

        @Override
        public Provisioned provision(StoreSettings settings) {
            EmbeddedPostgresServer server = EmbeddedPostgresServer.start();
            return new Provisioned(new StoreAddress(name(), server.jdbcUrl()), server);
        }

        @Override
        String whereToSetTheUrl() {
            return "";
        }
    }
}
