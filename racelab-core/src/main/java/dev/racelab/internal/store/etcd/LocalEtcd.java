package dev.racelab.internal.store.etcd;

import dev.racelab.core.StoreException;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A one-member etcd that racelab starts on loopback when no --etcd-url is given: Debian's
 * {@code etcd} (package etcd-server), on two free ports, its data in a directory of its own that
 * is removed when it stops, at close or at exit.
 */
final class LocalEtcd implements AutoCloseable {
    private static final Path ETCD = Path.of("/usr/bin/etcd");
    private static final Duration READY_WITHIN = Duration.ofSeconds(20);

    private final Process process;
    private final Path dataDir;
    private final String url;
    private final Thread removeOnExit;

    private LocalEtcd(Process process, Path dataDir, String url, Thread removeOnExit) {
        this.process = process;
        this.dataDir = dataDir;
        this.url = url;
        this.removeOnExit = removeOnExit;
    }

    static LocalEtcd start() {
        if (!Files.isExecutable(ETCD)) {
            throw new StoreException("etcd is not installed (" + ETCD + "; Debian's package etcd-server, which bin/start-services installs);"
                    + " or give --etcd-url", null, false);
        }
        Path dir;
        try {
            dir = Files.createTempDirectory("racelab-etcd-");
        } catch (IOException e) {
            throw new StoreException("cannot make a data directory for etcd: " + e.getMessage(), e, false);
        }
        int client = freePort();
        int peer = freePort();
        String clientUrl = "http://127.0.0.1:" + client;
        String peerUrl = "http://127.0.0.1:" + peer;
        Process p;
        try {
            p = new ProcessBuilder(ETCD.toString(), "--name", "racelab", "--data-dir", dir.resolve("data").toString(),
                    "--listen-client-urls", clientUrl, "--advertise-client-urls", clientUrl,
                    "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl,
                    "--initial-cluster", "racelab=" + peerUrl, "--initial-cluster-state", "new")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("etcd.log").toFile()).start();
        } catch (IOException e) {
            remove(dir);
            throw new StoreException("could not start " + ETCD + ": " + e.getMessage(), e, false);
        }
        Thread hook = new Thread(() -> {
            p.destroyForcibly();
            remove(dir);
        }, "racelab-remove-etcd");
        Runtime.getRuntime().addShutdownHook(hook);
        LocalEtcd etcd = new LocalEtcd(p, dir, clientUrl, hook);
        etcd.awaitHealthy();
        return etcd;
    }

    String url() {
        return url;
    }

    private void awaitHealthy() {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                String log = readLog();
                close();
                throw new StoreException("etcd stopped as it started: " + log, null, false);
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/health")).timeout(Duration.ofSeconds(1)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("\"health\":\"true\"")) return;
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new StoreException("interrupted while etcd started", e, false);
            }
            try {
                Thread.sleep(50); // polling a process that is starting: its health answer is the condition
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new StoreException("interrupted while etcd started", e, false);
            }
        }
        close();
        throw new StoreException("etcd did not answer /health within " + READY_WITHIN.toSeconds() + " s", null, false);
    }

    private String readLog() {
        try {
            List<String> lines = Files.readAllLines(dataDir.resolve("etcd.log"));
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new StoreException("no free port on loopback for etcd: " + e.getMessage(), e, false);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        remove(dataDir);
        try {
            Runtime.getRuntime().removeShutdownHook(removeOnExit);
        } catch (IllegalStateException e) {
            // the JVM is exiting: the hook runs anyway
        }
    }

    private static void remove(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // already gone
        }
    }
}
