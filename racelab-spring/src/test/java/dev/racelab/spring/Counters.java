package dev.racelab.spring;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.UUID;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.transaction.annotation.Transactional;

/** A tiny application: a HikariDataSource bean, a JdbcTemplate built on it at start, and @Transactional counters in a table of their own. */
class Counters {
    private final JdbcTemplate jdbc;
    private final String table;

    Counters(JdbcTemplate jdbc, String table) {
        this.jdbc = jdbc;
        this.table = table;
        jdbc.execute("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, value BIGINT NOT NULL)");
    }

    void drop() {
        jdbc.execute("DROP TABLE IF EXISTS " + table);
    }

    String table() {
        return table;
    }

    void reset(long id) {
        jdbc.update("DELETE FROM " + table + " WHERE id = ?", id);
        jdbc.update("INSERT INTO " + table + " (id, value) VALUES (?, 0)", id);
    }

    long value(long id) {
        return jdbc.queryForObject("SELECT value FROM " + table + " WHERE id = ?", Long.class, id);
    }

    /** Reads, adds in Java, writes back: two of them interleaved lose one. */
    @Transactional
    public void addReadThenWrite(long id, long amount) {
        long v = value(id);
        jdbc.update("UPDATE " + table + " SET value = ? WHERE id = ?", v + amount, id);
    }

    @Transactional
    public void addAtomic(long id, long amount) {
        jdbc.update("UPDATE " + table + " SET value = value + ? WHERE id = ?", amount, id);
    }

    /** Inserts the row again: refused when it exists. */
    void insert(long id) {
        jdbc.update("INSERT INTO " + table + " (id, value) VALUES (?, 0)", id);
    }

    /** Locks the row (at once or not at all with {@code nowait}), then runs {@code whileLocked} before the commit. */
    @Transactional
    public void lockThen(long id, boolean nowait, Runnable whileLocked) {
        jdbc.queryForObject("SELECT value FROM " + table + " WHERE id = ? FOR UPDATE" + (nowait ? " NOWAIT" : ""), Long.class, id);
        whileLocked.run();
    }

    /** Whether the row can be locked at once: no other transaction holds it. */
    @Transactional
    public boolean lockableNow(long id) {
        try {
            jdbc.queryForObject("SELECT value FROM " + table + " WHERE id = ? FOR UPDATE NOWAIT", Long.class, id);
            return true;
        } catch (org.springframework.dao.DataAccessException e) {
            return false;
        }
    }

    @Configuration
    @EnableTransactionManagement(proxyTargetClass = true)
    static class App {
        @Bean(destroyMethod = "close")
        HikariDataSource dataSource() {
            HikariConfig c = new HikariConfig();
            String url = System.getenv("RACELAB_POSTGRES_URL");
            c.setJdbcUrl(url == null || url.isBlank() ? "jdbc:postgresql://127.0.0.1:5432/test?user=postgres" : url);
            c.setMaximumPoolSize(5);
            c.setMinimumIdle(0);
            c.setPoolName("racelab-spring-test");
            return new HikariDataSource(c);
        }

        @Bean
        JdbcTemplate jdbcTemplate(HikariDataSource dataSource) {
            return new JdbcTemplate(dataSource);
        }

        @Bean
        JdbcTransactionManager transactionManager(HikariDataSource dataSource) {
            return new JdbcTransactionManager(dataSource);
        }

        @Bean(destroyMethod = "drop")
        Counters counters(JdbcTemplate jdbc) {
            return new Counters(jdbc, "spring_counters_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
        }
    }
}
