package dev.racelab.internal.store.etcd;

import dev.racelab.core.StoreException;
import java.io.File;
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
 * An etcd racelab starts itself when no {@code --etcd-url} is given: Debian's {@code /usr/bin/etcd}
 * (package etcd-server) as a process of its own on loopback, on free ports, with its data in a
 * temporary directory; stopped (by the pid racelab started it with) and removed on close.
 */
final class LocalEtcd implements AutoCloseable {
    static final Path ETCD = Path.of("/usr/bin/etcd");
    private static final Duration READY_WITHIN = Duration.ofSeconds(30);

    private final Process process;
    private final Path dir;
    private final String url;

    private LocalEtcd(Process process, Path dir, String url) {
        this.process = process;
        this.dir = dir;
        this.url = url;
    }

    static LocalEtcd start() {
        if (!Files.isExecutable(ETCD)) {
            throw new StoreException("etcd: no --etcd-url was given and " + ETCD + " is missing to start one: apt-get install etcd-server", null,
                    false);
        }
        Path dir;
        int client;
        int peer;
        try {
            dir = Files.createTempDirectory("racelab-etcd-");
            client = freePort();
            peer = freePort();
        } catch (IOException e) {
            throw new StoreException("etcd: cannot prepare a local etcd: " + e.getMessage(), e, false);
        }
        String clientUrl = "http://127.0.0.1:" + client;
        String peerUrl = "http://127.0.0.1:" + peer;
        List<String> command = List.of(ETCD.toString(), "--name", "racelab", "--data-dir", dir.resolve("data").toString(),
                "--listen-client-urls", clientUrl, "--advertise-client-urls", clientUrl,
                "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl, "--initial-cluster", "racelab=" + peerUrl);
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("etcd.log").toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            LocalEtcd etcd = new LocalEtcd(process, dir, clientUrl);
            etcd.awaitHealthy();
            return etcd;
        } catch (IOException e) {
            deleteTree(dir);
            throw new StoreException("etcd: cannot start " + ETCD + ": " + e.getMessage(), e, false);
        }
    }

    String url() {
        return url;
    }

    private void awaitHealthy() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/health")).timeout(Duration.ofSeconds(1)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("\"health\":\"true\"")) return;
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        close();
        throw new StoreException("etcd: the local etcd on " + url + " was not healthy within " + READY_WITHIN.toSeconds() + " s", null, false);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteTree(dir);
    }

    private static void deleteTree(Path top) {
        try (Stream<Path> all = Files.walk(top)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            // a temporary directory: the system's cleanup takes what is left
        }
    }
}
