package dev.racelab.internal.store.jdbc;

import dev.racelab.core.UsageException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** Checks and describes JDBC URLs, so the user sees what was tried and why it failed. */
public final class JdbcUrls {
    private JdbcUrls() {
    }

    /** The MariaDB driver only answers to jdbc:mariadb: unless told otherwise. */
    public static String normalizeMysql(String url) {
        return url.startsWith("jdbc:mysql:") ? "jdbc:mariadb:" + url.substring("jdbc:mysql:".length()) : url;
    }

    /** The URL with any password value replaced, fit to print. */
    public static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    /**
     * Opens and closes one connection; a failure becomes a one-line usage error (exit 2).
     * {@code hint} says where the URL is set, for a server that did not answer.
     */
    @SuppressWarnings("try") // the connection is opened only to be closed: that it opens is the answer
    public static void probe(String storeName, String url, String hint) {
        DriverManager.setLoginTimeout(10);
        try (Connection ignored = DriverManager.getConnection(url)) {
            // reachable, and the credentials are accepted
        } catch (SQLException e) {
            throw new UsageException("cannot connect to " + storeName + " at " + redact(url) + ": "
                    + firstLine(e.getMessage()) + hint(e.getMessage(), hint), e);
        }
    }

    private static String hint(String message, String whereToSetIt) {
        String m = String.valueOf(message).toLowerCase(java.util.Locale.ROOT);
        if (m.contains("denied") || m.contains("authentication") || m.contains("role") || m.contains("password")) {
            return " (check the user and password in the URL)";
        }
        return whereToSetIt == null || whereToSetIt.isEmpty() ? "" : " (" + whereToSetIt + ")";
    }

    private static String firstLine(String message) {
        if (message == null) return "no message from the driver";
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).trim();
    }

    /** Whether a server answers a connection at this URL now. */
    @SuppressWarnings("try") // as in probe
    static boolean answers(String url) {
        try (java.sql.Connection ignored = java.sql.DriverManager.getConnection(url)) {
            return true;
        } catch (java.sql.SQLException notYet) {
            return false;
        }
    }
}
