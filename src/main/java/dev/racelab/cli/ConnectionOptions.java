package dev.racelab.cli;

import dev.racelab.store.StoreSettings;
import picocli.CommandLine.Option;

/** Where the servers are. */
public final class ConnectionOptions {
    @Option(names = "--postgres-url", paramLabel = "JDBC_URL",
            description = "PostgreSQL JDBC URL (env RACELAB_POSTGRES_URL; default "
                    + StoreSettings.DEFAULT_POSTGRES_URL + ")")
    String postgresUrl;

    @Option(names = "--mysql-url", paramLabel = "JDBC_URL",
            description = "MariaDB/MySQL JDBC URL, jdbc:mariadb: or jdbc:mysql: (env RACELAB_MYSQL_URL; default "
                    + StoreSettings.DEFAULT_MYSQL_URL + ")")
    String mysqlUrl;

    @Option(names = "--redis-url", paramLabel = "URL",
            description = "Redis URL, redis://[:password@]host:port[/db] (env RACELAB_REDIS_URL; default "
                    + StoreSettings.DEFAULT_REDIS_URL + ")")
    String redisUrl;

    @Option(names = "--dynamodb-url", paramLabel = "URL",
            description = "DynamoDB endpoint (env RACELAB_DYNAMODB_URL); without one, DynamoDB Local starts in-process."
                    + " Credentials come from the AWS environment variables, or dummy ones for a local endpoint")
    String dynamodbUrl;

    @Option(names = "--dynamodb-region", paramLabel = "REGION",
            description = "AWS region (env AWS_REGION; default " + StoreSettings.DEFAULT_DYNAMODB_REGION + ")")
    String dynamodbRegion;

    StoreSettings settings() {
        return StoreSettings.resolve(postgresUrl, mysqlUrl, redisUrl, dynamodbUrl, dynamodbRegion, System.getenv());
    }
}
