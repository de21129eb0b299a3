package dev.racelab.docs;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * What the guides' Java snippets take as given: a snippet that is not a whole file is compiled
 * inside a subclass of this one (see {@link DocsJavaCompilesTest}), so these names are in scope.
 * A snippet that needs another name adds it here: a field, or a small stand-in for the reader's
 * own class.
 */
public abstract class DocSnippets {
    /** The application's DataSource. */
    protected DataSource dataSource;
    /** The reader's own repository of accounts (docs/LIBRARY.md's races). */
    protected AccountRepository accounts;
    /** The idempotency key of a request (docs/LIBRARY.md's IdempotencyKeys). */
    protected String requestKey;
    /** A free local port (docs/research-in-process-stores.md). */
    protected int port;

    /** The reader's work inside an idempotency key's transaction. */
    protected String chargeCard(Connection connection) throws SQLException {
        return "charged";
    }

    /** Stands in for the reader's own code under test: a deposit that may lose updates. */
    public static class AccountRepository {
        /** Accounts in the reader's table, on {@code dataSource}. */
        public AccountRepository(DataSource dataSource) {
        }

        /** Opens account {@code id} with {@code balance}. */
        public void reset(long id, long balance) throws SQLException {
        }

        /** Adds {@code amount} to account {@code id}. */
        public void deposit(long id, long amount) throws SQLException {
        }

        /** Account {@code id}'s balance. */
        public long balance(long id) throws SQLException {
            return 0;
        }
    }
}
