package dev.racelab.junit.internal;

import dev.racelab.internal.sqlwait.LockWaits;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The server session id of a connection, for the lock-wait view: from the driver without a round
 * trip where it can (pgjdbc's backend pid, MariaDB Connector/J's thread id), else by a query when
 * the connection is in auto-commit (inside a transaction a query would move its snapshot), else -1.
 */
final class Sessions {
    private Sessions() {
    }

    static long of(Connection c, LockWaits waits) {
        if (waits == null) return -1;
        Long fromDriver = switch (waits) {
            case POSTGRES -> call(c, "org.postgresql.PGConnection", "getBackendPID");
            case MARIADB -> call(c, "org.mariadb.jdbc.Connection", "getThreadId");
        };
        if (fromDriver != null) return fromDriver;
        try {
            return c.getAutoCommit() ? waits.sessionId(c) : -1;
        } catch (SQLException e) {
            return -1;
        }
    }

    private static Long call(Connection c, String type, String method) {
        try {
            Class<?> driverType = Class.forName(type, false, c.getClass().getClassLoader());
            if (!c.isWrapperFor(driverType)) return null;
            Object driver = c.unwrap(driverType);
            return ((Number) driverType.getMethod(method).invoke(driver)).longValue();
        } catch (ReflectiveOperationException | SQLException | RuntimeException | LinkageError e) {
            return null;
        }
    }
}
