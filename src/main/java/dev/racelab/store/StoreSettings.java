package dev.racelab.store;

import dev.racelab.store.jdbc.JdbcUrls;
import java.util.Map;

/**
 * Where the servers are. Flags win over the environment, which wins over this machine's
 * defaults. A null DynamoDB URL means "start DynamoDB Local in-process".
 */
public record StoreSettings(String postgresUrl, String mysqlUrl, String redisUrl, String dynamodbUrl,
                            String dynamodbRegion) {
    public static final String DEFAULT_POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    public static final String DEFAULT_MYSQL_URL = "jdbc:mariadb://127.0.0.1:3306/test?user=root&password=";
    public static final String DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";
    public static final String DEFAULT_DYNAMODB_REGION = "us-east-1";
    public static final String POSTGRES_ENV = "RACELAB_POSTGRES_URL";
    public static final String MYSQL_ENV = "RACELAB_MYSQL_URL";
    public static final String REDIS_ENV = "RACELAB_REDIS_URL";
    public static final String DYNAMODB_ENV = "RACELAB_DYNAMODB_URL";
    public static final String REGION_ENV = "AWS_REGION";

    public StoreSettings {
        if (blank(postgresUrl)) postgresUrl = DEFAULT_POSTGRES_URL;
        mysqlUrl = JdbcUrls.normalizeMysql(blank(mysqlUrl) ? DEFAULT_MYSQL_URL : mysqlUrl);
        if (blank(redisUrl)) redisUrl = DEFAULT_REDIS_URL;
        if (blank(dynamodbUrl)) dynamodbUrl = null;
        if (blank(dynamodbRegion)) dynamodbRegion = DEFAULT_DYNAMODB_REGION;
    }

    /** This machine's defaults, with nothing from flags or the environment. */
    public static StoreSettings defaults() {
        return new StoreSettings(null, null, null, null, null);
    }

    /** Flag values (null when not given) over the environment's. */
    public static StoreSettings resolve(String postgresFlag, String mysqlFlag, Map<String, String> env) {
        return resolve(postgresFlag, mysqlFlag, null, null, null, env);
    }

    public static StoreSettings resolve(String postgresFlag, String mysqlFlag, String redisFlag, String dynamodbFlag,
                                        String regionFlag, Map<String, String> env) {
        return new StoreSettings(or(postgresFlag, env.get(POSTGRES_ENV)), or(mysqlFlag, env.get(MYSQL_ENV)),
                or(redisFlag, env.get(REDIS_ENV)), or(dynamodbFlag, env.get(DYNAMODB_ENV)),
                or(regionFlag, env.get(REGION_ENV)));
    }

    private static String or(String flag, String env) {
        return flag != null ? flag : env;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
