package dev.racelab.store.redis;

import dev.racelab.core.StoreException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import redis.embedded.RedisServer;

/**
 * A Redis server for one racelab run, from the {@code com.github.codemonstur:embedded-redis}
 * artifact: the jar carries a redis-server binary (Redis 6.2), which is started as a child
 * process on a free loopback port, keeping nothing on disk. It is a separate process: the
 * library's shutdown hook stops it when the JVM exits normally, not when it is killed.
 */
public final class EmbeddedRedisServer implements AutoCloseable {
    private static final String HOST = "127.0.0.1";
    /** Another process may take the free port before redis-server binds it; then try another. */
    private static final int ATTEMPTS = 3;

    private final RedisServer server;
    private final int port;

    private EmbeddedRedisServer(RedisServer server, int port) {
        this.server = server;
        this.port = port;
    }

    public static EmbeddedRedisServer start() {
        Exception last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            try {
                int port = freePort();
                RedisServer server = RedisServer.newRedisServer()
                        .port(port)
                        .bind(HOST) // without it Redis listens on every interface
                        .setting("save \"\"") // no snapshots: the data lives only as long as the run
                        .setting("appendonly no")
                        // drain the server's output, or its log could fill the pipe and stall it
                        .soutListener(line -> { })
                        .serrListener(line -> { })
                        .build();
                server.start();
                return new EmbeddedRedisServer(server, port);
            } catch (IOException | RuntimeException e) {
                last = e;
            }
        }
        throw new StoreException("could not start an embedded Redis (com.github.codemonstur:embedded-redis) on "
                + HOST + ": " + last.getMessage(), last, false);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://" + HOST + ":" + port;
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (IOException e) {
            throw new StoreException("could not stop the embedded Redis on port " + port + ": " + e.getMessage(), e, false);
        }
    }
}
