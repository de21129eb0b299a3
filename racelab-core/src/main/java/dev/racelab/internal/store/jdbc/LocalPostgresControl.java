package dev.racelab.internal.store.jdbc;

import dev.racelab.core.StoreException;
import dev.racelab.store.PausedTree;
import dev.racelab.store.ServerControl;
import dev.racelab.store.Signals;
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
        return postmasterPid().isPresent() ? Optional.empty()
                : Optional.of(describe() + " has no live postmaster.pid in its data directory (pg_lsclusters " + version + " main)");
    }

    /** The postmaster first, so it forks no backend meanwhile, then every process under it. */
    @Override
    public void pauseServer() {
        long postmaster = postmasterPid().orElseThrow(() -> new StoreException(whyItCannotPause().orElseThrow(), null, false));
        paused.stop(postmaster);
    }

    @Override
    public void resumeServer() {
        paused.resume();
    }

    /** From pg_lsclusters' data directory column; a stale pid file names no live process. */
    private Optional<Long> postmasterPid() {
        try {
            Process p = new ProcessBuilder("pg_lsclusters", "-h", version, "main").redirectErrorStream(true).start();
            String line = new String(p.getInputStream().readAllBytes()).trim();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) return Optional.empty();
            String[] columns = line.split("\\s+");
            if (columns.length < 6) return Optional.empty();
            return Signals.livePidIn(Path.of(columns[5], "postmaster.pid"));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
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
