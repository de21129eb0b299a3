package dev.racelab.internal.store.jdbc;

import dev.racelab.internal.sqlwait.LockWaits;
import dev.racelab.store.Tx;
import dev.racelab.store.testkit.LockWaitView;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * The server session behind a SQL store's transaction, for tests that ask the server's own
 * lock-wait view (pg_blocking_pids, InnoDB's LOCK WAIT) whether that session waits for a lock.
 */
public final class TxSessions {
    /** The contracts' view of lock waits, for a SQL store. */
    public static final LockWaitView LOCK_WAITS = new LockWaitView() {
        @Override
        public long sessionId(Tx tx) {
            return TxSessions.sessionId(tx);
        }

        @Override
        public Optional<List<Long>> blockers(Tx monitor, long session) {
            return TxSessions.blockers(monitor, session);
        }
    };

    private TxSessions() {
    }

    /** The server's id of the session a transaction of a SQL store runs on. */
    public static long sessionId(Tx tx) {
        try {
            Connection c = connection(tx);
            return view(c).sessionId(c);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot ask the server for the session id", e);
        }
    }

    /** Empty when the session waits for no lock; else the sessions it waits for, as far as the server names them. */
    public static Optional<List<Long>> blockers(Tx monitor, long session) {
        try {
            Connection c = connection(monitor);
            return view(c).blockers(c, session);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the server's lock-wait view", e);
        }
    }

    private static Connection connection(Tx tx) {
        if (!(tx instanceof ConnectionCells cells)) throw new IllegalArgumentException("not a SQL store's transaction: " + tx);
        return cells.connection();
    }

    private static LockWaits view(Connection c) throws SQLException {
        String url = c.getMetaData().getURL();
        return LockWaits.ofUrl(url).orElseThrow(() -> new IllegalArgumentException("no lock-wait view for " + url));
    }
}
