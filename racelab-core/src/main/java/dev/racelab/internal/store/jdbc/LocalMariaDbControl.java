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
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * This machine's MariaDB, stopped and started as bin/start-services starts it
 * ({@code start-stop-daemon --start --background --exec /usr/sbin/mariadbd}). Offered only for
 * a URL on loopback at port 3306 when that server answers and names a pid file that holds a
 * live {@code /usr/sbin/mariadbd} (checked in /proc before every signal, and the file not one
 * anyone could write): racelab signals it by that pid (TERM to stop, STOP and CONT to pause),
 * never by name.
 */
final class LocalMariaDbControl implements ServerControl {
    private static final Path DAEMON = Path.of("/usr/sbin/mariadbd");
    private static final ProcessIdentity MARIADBD = ProcessIdentity.executable(DAEMON);
    private static final long WAIT_MS = 60_000;

    private final String url;
    private final Path pidFile;
    private final PausedTree paused = new PausedTree();

    private LocalMariaDbControl(String url, Path pidFile) {
        this.url = url;
        this.pidFile = pidFile;
    }

    static Optional<ServerControl> forUrl(String jdbcUrl) {
        if (!onLoopback(jdbcUrl) || !Files.isExecutable(DAEMON)) return Optional.empty();
        try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT @@pid_file")) {
            if (!rs.next()) return Optional.empty();
            Path pidFile = Path.of(rs.getString(1));
            return Signals.serverPidIn(pidFile, MARIADBD).map(pid -> new LocalMariaDbControl(jdbcUrl, pidFile));
        } catch (SQLException e) {
            return Optional.empty();
        }
    }

    static boolean onLoopback(String jdbcUrl) {
        String scheme = jdbcUrl.startsWith("jdbc:mariadb://") ? "jdbc:mariadb://" : jdbcUrl.startsWith("jdbc:mysql://") ? "jdbc:mysql://" : null;
        if (scheme == null) return false;
        URI uri = URI.create("x://" + jdbcUrl.substring(scheme.length()));
        int port = uri.getPort() < 0 ? 3306 : uri.getPort();
        String host = uri.getHost();
        return port == 3306 && ("127.0.0.1".equals(host) || "localhost".equals(host));
    }

    @Override
    public String describe() {
        return "this machine's MariaDB (" + DAEMON + ", pid file " + pidFile + ")";
    }

    /** SIGTERM, MariaDB's clean shutdown; returns once the process is gone. */
    @Override
    public void stopServer() {
        long pid = Signals.requireServerPidIn(pidFile, MARIADBD);
        Signals.send("TERM", List.of(pid));
        if (!Signals.awaitExit(pid, WAIT_MS)) {
            throw new StoreException(describe() + " was still running " + WAIT_MS / 1000 + " s after SIGTERM", null, false);
        }
    }

    @Override
    public void startServer() {
        List<String> cmd = List.of("start-stop-daemon", "--start", "--oknodo", "--background", "--exec", DAEMON.toString());
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(WAIT_MS, TimeUnit.MILLISECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new StoreException(String.join(" ", cmd) + " failed", null, false);
            }
        } catch (IOException e) {
            throw new StoreException(String.join(" ", cmd) + " could not run: " + e.getMessage(), e, false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(String.join(" ", cmd) + " was interrupted", e, false);
        }
        if (!Signals.awaitTrue(() -> JdbcUrls.answers(url), WAIT_MS)) {
            throw new StoreException(describe() + " did not answer within " + WAIT_MS / 1000 + " s of its start", null, false);
        }
    }

    @Override
    public Optional<String> whyItCannotPause() {
        try {
            Signals.requireServerPidIn(pidFile, MARIADBD);
            return Optional.empty();
        } catch (StoreException e) {
            return Optional.of(describe() + ": " + e.getMessage());
        }
    }

    @Override
    public void pauseServer() {
        paused.stop(Signals.requireServerPidIn(pidFile, MARIADBD));
    }

    @Override
    public void resumeServer() {
        paused.resume();
    }

}
