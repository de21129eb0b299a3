package dev.racelab.junit.internal;

import java.lang.reflect.Method;
import java.sql.Connection;
import javax.sql.DataSource;

/**
 * Whether a connection pool has none left, so an invocation waiting in getConnection is blocked
 * rather than slow. HikariCP says so exactly through its pool MXBean (read by reflection, so the
 * extension needs no HikariCP): every connection open, none idle, and at least our waiters
 * waiting. Any other DataSource is never called exhausted: its wait ends at the timeout.
 */
final class PoolWatch {
    private final DataSource pool;
    private final Method poolBean;

    private PoolWatch(DataSource pool, Method poolBean) {
        this.pool = pool;
        this.poolBean = poolBean;
    }

    static PoolWatch of(DataSource ds) {
        try {
            return new PoolWatch(ds, ds.getClass().getMethod("getHikariPoolMXBean"));
        } catch (NoSuchMethodException notHikari) {
            return new PoolWatch(ds, null);
        }
    }

    boolean exhausted(int ourWaiters) {
        if (poolBean == null || ourWaiters == 0) return false;
        try {
            Object bean = poolBean.invoke(pool);
            if (bean == null) return false;
            Object config = pool.getClass().getMethod("getHikariConfigMXBean").invoke(pool);
            int max = (int) config.getClass().getMethod("getMaximumPoolSize").invoke(config);
            Class<?> mx = Class.forName("com.zaxxer.hikari.HikariPoolMXBean", false, pool.getClass().getClassLoader());
            int total = (int) mx.getMethod("getTotalConnections").invoke(bean);
            int idle = (int) mx.getMethod("getIdleConnections").invoke(bean);
            int waiting = (int) mx.getMethod("getThreadsAwaitingConnection").invoke(bean);
            return idle == 0 && total >= max && waiting >= ourWaiters;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Takes a connection out of the pool for good, though it is still lent: HikariCP keeps an in-use connection's slot
     * until it is closed, and evicting frees the slot now. Any other pool finds the aborted connection broken when it is
     * returned or checked.
     */
    void evict(Connection lent) {
        try {
            pool.getClass().getMethod("evictConnection", Connection.class).invoke(pool, lent);
        } catch (ReflectiveOperationException | RuntimeException notHikari) {
            // not HikariCP
        }
    }
}
