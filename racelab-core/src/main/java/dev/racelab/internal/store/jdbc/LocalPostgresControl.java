package dev.racelab.internal.store.jdbc;

import dev.racelab.core.StoreException;
import dev.racelab.internal.os.PausedTree;
import dev.racelab.internal.os.ProcessIdentity;
import dev.racelab.internal.faults.ServerControl;
import dev.racelab.internal.os.Signals;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * This machine's PostgreSQL cluster, stopped and started with the commands bin/start-services
 * uses ({@code pg_ctlcluster --skip-systemctl-redirect VERSION main stop|start}). Offered only
 * for a URL on loopback at the cluster's port, with exactly one cluster version installed, so
 * the nemesis never touches a server it cannot name. A pause stops the postmaster named by the
 * cluster's postmaster.pid and every backend it forked: stopping the postmaster alone would
 * leave every open connection served.
 */
final class LocalPostgresControl implements ServerControl {
    private static final Path CLUSTERS = Path.of("/etc/postgresql");
    private static final long WAIT_MS = 60_000;

    private final String version;
    private final String url;
    private final PausedTree paused = new PausedTree();

    private LocalPostgresControl(String version, String url) {
        this.version = version;
        this.url = url;
    }

    static Optional<ServerControl> forUrl(String jdbcUrl) {
        if (!onLoopback(jdbcUrl) || !Files.isDirectory(CLUSTERS)) return Optional.empty();
        try (Stream<Path> versions = Files.list(CLUSTERS)) {
            List<Path> all = versions.filter(Files::isDirectory).toList();
            if (all.size() != 1) return Optional.empty();
            return Optional.of(new LocalPostgresControl(all.get(0).getFileName().toString(), jdbcUrl));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** jdbc:postgresql://127.0.0.1:5432/... (or localhost); the default port when none is given. */
    static boolean onLoopback(String jdbcUrl) {
        if (!jdbcUrl.startsWith("jdbc:postgresql://")) return false;
        URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
        String host = uri.getHost();
        int port = uri.getPort() < 0 ? 5432 : uri.getPort();
        return port == 5432 && ("127.0.0.1".equals(host) || "localhost".equals(host) || "[::1]".equals(host));
    }

    @Override
    public String describe() {
        return "this machine's PostgreSQL " + version + " (pg_ctlcluster " + version + " main)";
    }

    @Override
    public void stopServer() {
        run("stop", "-m", "fast");
    }

    @Override
    public void startServer() {
        run("start");
        if (!Signals.awaitTrue(() -> JdbcUrls.answers(url), WAIT_MS)) {
            throw new StoreException("PostgreSQL " + version + " did not answer within " + WAIT_MS / 1000 + " s of its start", null, false);
        }
    }

    @Override
    public Optional<String> whyItCannotPause() {
        try {
            postmasterPid();
            return Optional.empty();
        } catch (StoreException e) {
            return Optional.of(describe() + ": " + e.getMessage());
        }
    }

    /** The postmaster first, so it forks no backend meanwhile, then every process under it. */
    @Override
    public void pauseServer() {
        paused.stop(postmasterPid());
    }

    @Override
    public void resumeServer() {
        paused.resume();
    }

    /**
     * The postmaster named by the postmaster.pid of the data directory pg_lsclusters gives,
     * when it is this version's postgres executable.
     */
    private long postmasterPid() {
        ProcessIdentity postgres = ProcessIdentity.executable(Path.of("/usr/lib/postgresql", version, "bin", "postgres"));
        try {
            Process p = new ProcessBuilder("pg_lsclusters", "-h", version, "main").redirectErrorStream(true).start();
            String line = new String(p.getInputStream().readAllBytes()).trim();
            String[] columns = line.split("\\s+");
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0 || columns.length < 6) {
                throw new StoreException("pg_lsclusters " + version + " main names no data directory", null, false);
            }
            return Signals.requireServerPidIn(Path.of(columns[5], "postmaster.pid"), postgres);
        } catch (IOException e) {
            throw new StoreException("could not run pg_lsclusters: " + e.getMessage(), e, false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("pg_lsclusters was interrupted", e, false);
        }
    }

    private void run(String... action) {
        List<String> cmd = new java.util.ArrayList<>(List.of("pg_ctlcluster", "--skip-systemctl-redirect", version, "main"));
        cmd.addAll(List.of(action));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(WAIT_MS, TimeUnit.MILLISECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new StoreException(String.join(" ", cmd) + " failed (exit " + (p.isAlive() ? "none" : p.exitValue()) + ")", null, false);
            }
        } catch (IOException e) {
            throw new StoreException(String.join(" ", cmd) + " could not run: " + e.getMessage(), e, false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(String.join(" ", cmd) + " was interrupted", e, false);
        }
    }

}
