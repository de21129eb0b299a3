package dev.racelab.examples.bank;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.UUID;

/** The PostgreSQL the tests race on: RACELAB_POSTGRES_URL, else this machine's. Each test class gets a table of its own. */
final class BankDatabase {
    static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    private BankDatabase() {}

    static String url() {
        String url = System.getenv("RACELAB_POSTGRES_URL");
        return url == null || url.isBlank() ? DEFAULT_URL : url;
    }

    static HikariDataSource pool(int size) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(url());
        c.setMaximumPoolSize(size);
        c.setMinimumIdle(0);
        c.setPoolName("bank-test");
        return new HikariDataSource(c);
    }

    /** A new table name per run, so whatever earlier runs left behind never matters. */
    static String freshTable() {
        return "bank_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }
}
