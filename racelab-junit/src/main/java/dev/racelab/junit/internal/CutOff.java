package dev.racelab.junit.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.List;

/**
 * Ends what a cut-off invocation holds: its running statement and its connections. JDBC ignores interrupts, so the
 * invocation's thread may still be running, even inside a call on one of those connections. Closing a pooled
 * connection from here would hand it back to its pool rolled back and reset to auto-commit while that call goes on:
 * the call's statement would then run outside the invocation's transaction and commit half of it. So each connection is
 * aborted instead: the driver drops the session, the server rolls its transaction back and frees its locks, every later
 * call on it fails, and a pool that can evict it (HikariCP) is told to, so no one borrows it again.
 */
final class CutOff {
    private CutOff() {
    }

    /** Cancels {@code running} (when there is one), then aborts each connection; {@code pool} is where they came from. */
    static void end(Statement running, List<Connection> connections, PoolWatch pool) {
        if (running != null) {
            try {
                running.cancel();
            } catch (SQLException | RuntimeException ignored) {
                // it may have ended meanwhile
            }
        }
        for (Connection c : connections) abort(c, pool);
    }

    private static void abort(Connection pooled, PoolWatch pool) {
        try {
            Connection physical = pooled.isWrapperFor(Connection.class) ? pooled.unwrap(Connection.class) : pooled;
            physical.abort(Runnable::run);
            pool.evict(pooled);
        } catch (SQLFeatureNotSupportedException | AbstractMethodError noAbort) {
            closeAsBefore(pooled);
        } catch (SQLException | RuntimeException ignored) {
            // closed meanwhile, or broken: either way it holds no lock
        }
    }

    /** A driver without abort: closing is all there is, with the risk the class comment names. */
    private static void closeAsBefore(Connection pooled) {
        try {
            pooled.close();
        } catch (SQLException | RuntimeException ignored) {
            // closed meanwhile, or broken
        }
    }
}
