package dev.racelab.store;

import dev.racelab.store.jdbc.JdbcUrls;
import java.util.Map;

/** Where the servers are. Flags win over the environment, which wins over this machine's defaults. */
public record StoreSettings(String postgresUrl, String mysqlUrl) {
    public static final String DEFAULT_POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    public static final String DEFAULT_MYSQL_URL = "jdbc:mariadb://127.0.0.1:3306/test?user=root&password=";
    public static final String POSTGRES_ENV = "RACELAB_POSTGRES_URL";
    public static final String MYSQL_ENV = "RACELAB_MYSQL_URL";

    public StoreSettings {
        if (postgresUrl == null || postgresUrl.isBlank()) postgresUrl = DEFAULT_POSTGRES_URL;
        mysqlUrl = JdbcUrls.normalizeMysql(mysqlUrl == null || mysqlUrl.isBlank() ? DEFAULT_MYSQL_URL : mysqlUrl);
    }

    /** Flag values (null when not given) over the environment's. */
    public static StoreSettings resolve(String postgresFlag, String mysqlFlag, Map<String, String> env) {
        return new StoreSettings(postgresFlag != null ? postgresFlag : env.get(POSTGRES_ENV),
                mysqlFlag != null ? mysqlFlag : env.get(MYSQL_ENV));
    }
}
