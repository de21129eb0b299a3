package dev.racelab.internal.sqlwait;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a database session waits for a lock, as the server's own lock-wait view says: the
 * one piece of {@code probe sql}'s interleaver that racelab-junit shares. Asked from a separate
 * monitor connection about the server session id of the one that may be blocked.
 *
 * <pre>{@code
 * LockWaits waits = LockWaits.ofUrl(connection.getMetaData().getURL()).orElseThrow();
 * long session = waits.sessionId(connection);          // before the statement that may block
 * Optional<List<Long>> blockers = waits.blockers(monitor, session);
 * }</pre>
 */
public enum LockWaits {
    POSTGRES("SELECT pg_backend_pid()") {
        /** pg_blocking_pids: the sessions holding, or queued ahead for, a lock this one waits for (PostgreSQL 9.6+). */
        @Override
        public Optional<List<Long>> blockers(Connection monitor, long session) throws SQLException {
            List<Long> out = new ArrayList<>();
            try (PreparedStatement ps = monitor.prepareStatement("SELECT unnest(pg_blocking_pids(?))")) {
                ps.setInt(1, (int) session);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(rs.getLong(1));
                }
            }
            return out.isEmpty() ? Optional.empty() : Optional.of(out);
        }
    },
    MARIADB("SELECT CONNECTION_ID()") {
        /**
         * InnoDB's own account of its transactions: a "LOCK WAIT" transaction of this thread id.
         * Not information_schema.INNODB_LOCK_WAITS / INNODB_TRX (nor sys.innodb_lock_waits, built on
         * them; MariaDB 10.11 has no performance_schema.data_lock_waits): InnoDB refreshes those
         * tables only after 0.1 s without a reader, so polled faster they answer from a stale copy.
         * SHOW ENGINE INNODB STATUS is built when asked. It names no holder, so none is given.
         * A wait in GET_LOCK is no InnoDB lock: the process list shows it, as the state "User lock".
         */
        @Override
        public Optional<List<Long>> blockers(Connection monitor, long session) throws SQLException {
            try (PreparedStatement ps = monitor.prepareStatement(
                    "SELECT 1 FROM information_schema.PROCESSLIST WHERE ID = ? AND STATE = 'User lock'")) {
                ps.setLong(1, session);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) return Optional.of(List.of());
                }
            }
            String status;
            try (Statement st = monitor.createStatement(); ResultSet rs = st.executeQuery("SHOW ENGINE INNODB STATUS")) {
                if (!rs.next()) return Optional.empty();
                status = rs.getString("Status");
            }
            String thread = "thread id " + session + ",";
            String[] chunks = transactions(status).split("\n---TRANSACTION ");
            // chunks[0] is the section's head (counters, purge): no transaction of its own
            for (int i = 1; i < chunks.length; i++) {
                if (chunks[i].contains(thread) && chunks[i].contains("\nLOCK WAIT ")) return Optional.of(List.of());
            }
            return Optional.empty();
        }
    };

    /** A section head of SHOW ENGINE INNODB STATUS: its name between two lines of dashes. */
    private static final Pattern SECTION = Pattern.compile("\n-{3,}\n([A-Z][A-Z0-9 /_]*)\n-{3,}\n");

    /**
     * The TRANSACTIONS section alone: the LATEST DETECTED DEADLOCK section also names thread ids beside LOCK WAIT lines,
     * and a session found there waited once, not now.
     */
    static String transactions(String status) {
        Matcher m = SECTION.matcher(status);
        int start = -1;
        while (m.find()) {
            if (start >= 0) return status.substring(start, m.start());
            if (m.group(1).equals("TRANSACTIONS")) start = m.end();
        }
        return start >= 0 ? status.substring(start) : "";
    }

    private final String sessionIdQuery;

    LockWaits(String sessionIdQuery) {
        this.sessionIdQuery = sessionIdQuery;
    }

    /** Empty when the session waits for no lock; else the server sessions it waits for, as far as the server says. */
    public abstract Optional<List<Long>> blockers(Connection monitor, long session) throws SQLException;

    /** The query that answers the current connection's server session id. */
    public String sessionIdQuery() {
        return sessionIdQuery;
    }

    /** The server's id of this connection's session, by a query on it. */
    public long sessionId(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sessionIdQuery)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The lock-wait view of a JDBC URL's server: jdbc:postgresql:, jdbc:mariadb: or jdbc:mysql:. */
    public static Optional<LockWaits> ofUrl(String url) {
        if (url == null) return Optional.empty();
        if (url.startsWith("jdbc:postgresql:")) return Optional.of(POSTGRES);
        if (url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:")) return Optional.of(MARIADB);
        return Optional.empty();
    }

    /** The lock-wait view of a server by the product name its driver reports (DatabaseMetaData). */
    public static Optional<LockWaits> ofProduct(String product) {
        String p = product == null ? "" : product.toLowerCase(Locale.ROOT);
        if (p.contains("postgres")) return Optional.of(POSTGRES);
        if (p.contains("mariadb") || p.contains("mysql")) return Optional.of(MARIADB);
        return Optional.empty();
    }
}
