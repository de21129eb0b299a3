package dev.racelab.internal.probe.sql;

import java.sql.SQLException;

/** Why a statement failed, as the server said it: the SQLSTATE, the vendor's code and what that means for a transaction. */
public record SqlFailure(String sqlState, int vendorCode, Kind kind, String message) {
    /** What a failure means to the application that sees it. */
    public enum Kind {
        SERIALIZATION("serialization failure"),
        DEADLOCK("deadlock"),
        LOCK_TIMEOUT("lock timeout"),
        /** MariaDB's innodb_snapshot_isolation refusal: the row changed after this transaction's snapshot. */
        SNAPSHOT_CONFLICT("row changed since the snapshot"),
        TIMED_OUT("racelab's step timeout"),
        ERROR("error");

        private final String words;

        Kind(String words) {
            this.words = words;
        }

        @Override
        public String toString() {
            return words;
        }
    }

    public static SqlFailure of(SQLException e) {
        String state = e.getSQLState() == null ? "?????" : e.getSQLState();
        int code = e.getErrorCode();
        return new SqlFailure(state, code, kindOf(state, code), firstLine(e.getMessage()));
    }

    static Kind kindOf(String state, int code) {
        if (code == 1213 || "40P01".equals(state)) return Kind.DEADLOCK;
        if (code == 1205 || "55P03".equals(state)) return Kind.LOCK_TIMEOUT;
        if (code == 1020) return Kind.SNAPSHOT_CONFLICT;
        if ("40001".equals(state)) return Kind.SERIALIZATION;
        return Kind.ERROR;
    }

    /** A failure the application is meant to retry: the transaction was rolled back to keep isolation. */
    public boolean isAbortForIsolation() {
        return kind == Kind.SERIALIZATION || kind == Kind.DEADLOCK || kind == Kind.SNAPSHOT_CONFLICT;
    }

    /** "40001 serialization failure", "40001 deadlock (error 1213)": the vendor's code where the server has one. */
    public String label() {
        return sqlState + " " + kind + (vendorCode > 0 ? " (error " + vendorCode + ")" : "");
    }

    private static String firstLine(String message) {
        if (message == null) return "";
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).trim();
    }
}
