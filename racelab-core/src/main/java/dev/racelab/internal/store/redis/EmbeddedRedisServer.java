package dev.racelab.internal.store.redis;

import dev.racelab.core.StoreException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.racelab.internal.os.PausedTree;
import dev.racelab.internal.faults.ServerControl;
import java.util.Optional;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import redis.embedded.RedisServer;
import redis.embedded.core.ExecutableProvider;

/**
 * A Redis server for one racelab run, from the {@code com.github.codemonstur:embedded-redis}
 * artifact: the jar carries a redis-server binary (Redis 6.2), which is started as a child
 * process on a free loopback port, keeping nothing on disk. It is a separate process: the
 * library's shutdown hook stops it when the JVM exits normally, not when it is killed.
 */
public final class EmbeddedRedisServer implements AutoCloseable, ServerControl {
    private static final String HOST = "127.0.0.1";
    /** Another process may take the free port before redis-server binds it; then try another. */
    private static final int ATTEMPTS = 3;

    private volatile RedisServer server;
    /** The redis-server process now running, found when it starts, so a pause needs no connection to it. */
    private volatile Optional<Long> pid;
    private final int port;
    private final RedisPersistence persistence;
    private final Path dir;
    private final PausedTree paused = new PausedTree();
    private final Thread removeOnExit;

    private EmbeddedRedisServer(RedisServer server, int port, RedisPersistence persistence, Path dir, Thread removeOnExit) {
        this.removeOnExit = removeOnExit;
        this.server = server;
        this.port = port;
        this.persistence = persistence;
        this.dir = dir;
        this.pid = serverPid();
    }

    /** A Redis that keeps nothing on disk. */
    public static EmbeddedRedisServer start() {
        return start(RedisPersistence.NONE);
    }

    /**
     * A Redis whose data lives as {@code persistence} says, in a directory of its own: its
     * configuration and data, removed when the server is closed, when it fails to start, or
     * when this JVM exits.
     */
    public static EmbeddedRedisServer start(RedisPersistence persistence) {
        Path dir;
        try {
            dir = Files.createTempDirectory("racelab-redis-");
        } catch (IOException e) {
            throw new StoreException("could not make a directory for the embedded Redis: " + e.getMessage(), e, false);
        }
        Thread removeOnExit = new Thread(() -> deleteQuietly(dir), "racelab-redis-cleanup");
        Runtime.getRuntime().addShutdownHook(removeOnExit);
        Exception last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            try {
                int port = freePort();
                RedisServer server = build(port, persistence, dir);
                server.start();
                return new EmbeddedRedisServer(server, port, persistence, dir, removeOnExit);
            } catch (IOException | RuntimeException e) {
                last = e;
            }
        }
        deleteQuietly(dir);
        removeHook(removeOnExit);
        throw new StoreException("could not start an embedded Redis (com.github.codemonstur:embedded-redis) on "
                + HOST + ": " + last.getMessage(), last, false);
    }

    /**
     * The library's binary with a configuration file in the server's own directory: the
     * library's builder would write it to the JVM's temp directory, and remove it only at a
     * normal exit of the JVM.
     */
    private static RedisServer build(int port, RedisPersistence persistence, Path dir) throws IOException {
        List<String> settings = new ArrayList<>(List.of(
                "bind " + HOST, // without it Redis listens on every interface
                "dir " + dir));
        settings.addAll(persistence.settings());
        Path config = dir.resolve("redis-" + port + ".conf");
        Files.write(config, settings);
        String binary = ExecutableProvider.newJarResourceProvider().get().getAbsolutePath();
        // drain the server's output, or its log could fill the pipe and stall it
        return new RedisServer(port, List.of(binary, config.toString(), "--port", Integer.toString(port)), false,
                line -> { }, line -> { });
    }

    @Override
    public String describe() {
        return "the redis-server racelab started on " + HOST + ":" + port + " (persistence " + persistence.flagName() + ")";
    }

    /** Stops the redis-server process racelab started (SHUTDOWN, then the process it launched). */
    @Override
    public synchronized void stopServer() {
        try {
            server.stop();
        } catch (IOException e) {
            throw new StoreException("could not stop the embedded Redis on port " + port + ": " + e.getMessage(), e, false);
        }
    }

    /** Starts it again on the same port and directory: with an append-only file, it loads what it had. */
    @Override
    public synchronized void startServer() {
        try {
            server = build(port, persistence, dir);
            server.start();
            pid = serverPid();
        } catch (IOException e) {
            throw new StoreException("could not start the embedded Redis again on port " + port + ": " + e.getMessage(), e, false);
        }
    }

    @Override
    public Optional<String> whyItCannotPause() {
        return runningPid().isPresent() ? Optional.empty()
                : Optional.of(describe() + " is not a running child process of racelab's");
    }

    @Override
    public void pauseServer() {
        long running = runningPid().orElseThrow(() -> new StoreException(whyItCannotPause().orElseThrow(), null, false));
        paused.stop(running);
    }

    @Override
    public void resumeServer() {
        paused.resume();
    }

    /** The pid found at the server's start, while that process is still a live child of this JVM. */
    private Optional<Long> runningPid() {
        return pid.filter(p -> ProcessHandle.current().children().anyMatch(child -> child.pid() == p && child.isAlive()));
    }

    /**
     * The redis-server this JVM launched: the pid the server gives (INFO server), taken only when
     * it is a child process of this JVM, so nothing else is ever signalled.
     */
    private Optional<Long> serverPid() {
        io.lettuce.core.RedisURI uri = io.lettuce.core.RedisURI.create(url());
        uri.setTimeout(java.time.Duration.ofSeconds(2));
        io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(uri);
        try (var connection = client.connect()) {
            String info = connection.sync().info("server");
            long pid = info.lines().filter(l -> l.startsWith("process_id:")).map(l -> Long.parseLong(l.substring(11).trim()))
                    .findFirst().orElse(-1L);
            boolean ours = ProcessHandle.current().children().anyMatch(child -> child.pid() == pid);
            return ours ? Optional.of(pid) : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        } finally {
            client.shutdown();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        }
    }

    /** The server's own directory: its configuration, and its data when it keeps any. */
    public Path directory() {
        return dir;
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
        } finally {
            deleteQuietly(dir);
            removeHook(removeOnExit);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // gone already
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // the JVM is shutting down: the hook runs anyway
        }
    }
}
