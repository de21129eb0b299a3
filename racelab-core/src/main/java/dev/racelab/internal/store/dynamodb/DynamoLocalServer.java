package dev.racelab.internal.store.dynamodb;

import dev.racelab.core.StoreException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import software.amazon.dynamodb.services.local.main.CommandLineInput;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * DynamoDB Local in this JVM, in server mode: worker processes reach it over HTTP by its URL.
 * It keeps its tables in memory and in one database for every region and access key, and it
 * sends no telemetry (by default it would report to AWS).
 *
 * <p>Its options offer no bind address, so it listens on every interface of a free port; the
 * URL it hands out is loopback.
 */
public final class DynamoLocalServer implements AutoCloseable {
    /** Another process may take the free port we picked before the server binds it: try a few. */
    private static final int ATTEMPTS = 3;

    private final DynamoDBProxyServer server;
    private final int port;
    private boolean stopped;

    private DynamoLocalServer(DynamoDBProxyServer server, int port) {
        this.server = server;
        this.port = port;
    }

    public static DynamoLocalServer start() {
        Exception last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port = freePort();
            try {
                return new DynamoLocalServer(startOn(port), port);
            } catch (Exception e) {
                last = e;
            }
        }
        throw new StoreException("could not start DynamoDB Local in-process: " + last, last, false);
    }

    /**
     * {@code createServer} is the path {@code createServerFromCommandLineArgs} takes after it has
     * printed its configuration banner to stdout, where racelab writes results.
     */
    private static DynamoDBProxyServer startOn(int port) throws Exception {
        CommandLineInput input = new CommandLineInput(new String[] {
                "-inMemory", "-sharedDb", "-port", String.valueOf(port), "-disableTelemetry"});
        if (!input.init()) throw new IllegalStateException("DynamoDB Local refused its options");
        DynamoDBProxyServer server = ServerRunner.createServer(input);
        try {
            // Jetty's bind error surfaces here; on a SocketException start() only prints and stops.
            server.start();
            if (!listening(port)) throw new IOException("DynamoDB Local is not listening on port " + port);
            return server;
        } catch (Exception e) {
            // Its thread pools are not daemons: left running they would keep the JVM alive.
            try {
                server.stop();
            } catch (Exception stopFailed) {
                e.addSuppressed(stopFailed);
            }
            throw e;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new StoreException("no free loopback port for DynamoDB Local: " + e.getMessage(), e, false);
        }
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public synchronized void close() {
        if (stopped) return;
        stopped = true;
        try {
            server.stop();
        } catch (Exception e) {
            throw new StoreException("could not stop DynamoDB Local on port " + port + ": " + e.getMessage(), e, false);
        }
    }
}
