package dev.racelab.internal.store.zookeeper;

import dev.racelab.core.StoreException;
import dev.racelab.internal.faults.ServerControl;
import java.util.Optional;
import org.apache.curator.test.TestingServer;

/**
 * The in-process ZooKeeper racelab started (Curator's TestingServer): stopped and started on the
 * same port and data directory, so sessions and ephemeral nodes come back as a real server's
 * do. It cannot be paused: it runs in racelab's own JVM.
 */
@SuppressWarnings("try") // TestingServer.close() may be interrupted while it stops
final class EmbeddedZooKeeper implements ServerControl, AutoCloseable {
    private final TestingServer server;

    EmbeddedZooKeeper(TestingServer server) {
        this.server = server;
    }

    String connectString() {
        return server.getConnectString();
    }

    @Override
    public String describe() {
        return "the in-process ZooKeeper racelab started on " + server.getConnectString();
    }

    @Override
    public synchronized void stopServer() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new StoreException("could not stop " + describe() + ": " + e.getMessage(), e, false);
        }
    }

    @Override
    public synchronized void startServer() {
        try {
            server.restart();
        } catch (Exception e) {
            throw new StoreException("could not start " + describe() + " again: " + e.getMessage(), e, false);
        }
    }

    @Override
    public Optional<String> whyItCannotPause() {
        return Optional.of(describe() + " runs inside racelab's own JVM, so pausing it would pause racelab; start ZooKeeper"
                + " as its own process with bin/start-services and pass --zookeeper-url 127.0.0.1:2181");
    }

    @Override
    public void close() throws Exception {
        server.close();
    }
}
