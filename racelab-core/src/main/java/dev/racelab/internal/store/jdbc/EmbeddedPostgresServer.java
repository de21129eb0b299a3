package dev.racelab.internal.store.jdbc;

import dev.racelab.core.StoreException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;

/**
 * A real PostgreSQL started from a Maven artifact, for when the user has no server. It lives
 * as long as the coordinator; worker processes reach it by its URL like any other server.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
    private final EmbeddedPostgres postgres;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    public static EmbeddedPostgresServer start() {
        try {
            return new EmbeddedPostgresServer(EmbeddedPostgres.builder()
                    .setServerConfig("max_connections", "300")
                    .start());
        } catch (IOException e) {
            throw new StoreException("could not start the embedded PostgreSQL: " + e.getMessage(), e, false);
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres?user=postgres";
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new StoreException("could not stop the embedded PostgreSQL: " + e.getMessage(), e, false);
        }
    }
}
