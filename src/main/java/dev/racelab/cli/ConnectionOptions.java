package dev.racelab.cli;

import dev.racelab.store.StoreSettings;
import picocli.CommandLine.Option;

/** Where the database servers are. */
public final class ConnectionOptions {
    @Option(names = "--postgres-url", paramLabel = "JDBC_URL",
            description = "PostgreSQL JDBC URL (env RACELAB_POSTGRES_URL; default "
                    + StoreSettings.DEFAULT_POSTGRES_URL + ")")
    String postgresUrl;

    @Option(names = "--mysql-url", paramLabel = "JDBC_URL",
            description = "MariaDB/MySQL JDBC URL, jdbc:mariadb: or jdbc:mysql: (env RACELAB_MYSQL_URL; default "
                    + StoreSettings.DEFAULT_MYSQL_URL + ")")
    String mysqlUrl;

    StoreSettings settings() {
        return StoreSettings.resolve(postgresUrl, mysqlUrl, System.getenv());
    }
}
