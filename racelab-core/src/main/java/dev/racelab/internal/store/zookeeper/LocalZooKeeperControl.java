package dev.racelab.internal.store.zookeeper;

import dev.racelab.core.StoreException;
import dev.racelab.internal.os.PausedTree;
import dev.racelab.internal.os.ProcessIdentity;
import dev.racelab.internal.faults.ServerControl;
import dev.racelab.internal.os.Signals;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The ZooKeeper that bin/start-services runs on 127.0.0.1:2181, as its own process: Debian's
 * zkServer.sh, or the server jar as a JVM, with its pid file, configuration and data under
 * {@value #HOME}. racelab stops it by that pid (SIGTERM), starts it with the same command,
 * and pauses it with SIGSTOP and SIGCONT. Offered for no other ZooKeeper.
 */
final class LocalZooKeeperControl implements ServerControl {
    /** Root's own, not /tmp: a pid file in a directory anyone may write to could be planted. */
    static final String HOME = "/var/lib/racelab/zookeeper";
    private static final Path PID_FILE = Path.of(HOME, "zookeeper.pid");
    private static final Path CONFIG = Path.of(HOME, "zoo.cfg");
    /** Both ways bin/start-services starts it run this main class on this configuration. */
    private static final ProcessIdentity ZOOKEEPER = ProcessIdentity.java("org.apache.zookeeper.server.quorum.QuorumPeerMain", CONFIG.toString());
    private static final Path CLASSPATH = Path.of(HOME, "classpath");
    private static final Path ZK_SERVER_SH = Path.of("/usr/share/zookeeper/bin/zkServer.sh");
    private static final int PORT = 2181;
    private static final long WAIT_MS = 60_000;

    private final PausedTree paused = new PausedTree();

    static Optional<ServerControl> forConnectString(String connect) {
        boolean loopback = connect.equals("127.0.0.1:" + PORT) || connect.equals("localhost:" + PORT);
        if (!loopback || !Files.isRegularFile(CONFIG) || Signals.serverPidIn(PID_FILE, ZOOKEEPER).isEmpty()) return Optional.empty();
        return Optional.of(new LocalZooKeeperControl());
    }

    @Override
    public String describe() {
        return "the ZooKeeper bin/start-services runs on 127.0.0.1:" + PORT + " (pid file " + PID_FILE + ")";
    }

    @Override
    public void stopServer() {
        long pid = pid();
        Signals.send("TERM", List.of(pid));
        if (!Signals.awaitExit(pid, WAIT_MS)) throw new StoreException(describe() + " outlived SIGTERM by " + WAIT_MS / 1000 + " s", null, false);
    }

    /** As bin/start-services starts it: zkServer.sh when Debian's package is there, else the jar's JVM. */
    @Override
    public void startServer() {
        try {
            if (Files.isExecutable(ZK_SERVER_SH)) {
                ProcessBuilder pb = new ProcessBuilder(ZK_SERVER_SH.toString(), "start", CONFIG.toString());
                pb.environment().putAll(Map.of("ZOOPIDFILE", PID_FILE.toString(), "JMXDISABLE", "true"));
                Process p = pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (!p.waitFor(WAIT_MS, TimeUnit.MILLISECONDS) || p.exitValue() != 0) throw new StoreException(ZK_SERVER_SH + " start failed", null, false);
            } else {
                String java = ProcessHandle.current().info().command().orElse("java");
                Process p = new ProcessBuilder(java, "-cp", Files.readString(CLASSPATH).trim(),
                        "org.apache.zookeeper.server.quorum.QuorumPeerMain", CONFIG.toString())
                        .redirectErrorStream(true).redirectOutput(Path.of(HOME, "log", "zookeeper.out").toFile()).start();
                Files.writeString(PID_FILE, Long.toString(p.pid()));
            }
        } catch (IOException e) {
            throw new StoreException("could not start " + describe() + ": " + e.getMessage(), e, false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("starting " + describe() + " was interrupted", e, false);
        }
        if (!Signals.awaitTrue(LocalZooKeeperControl::answers, WAIT_MS)) {
            throw new StoreException(describe() + " did not answer within " + WAIT_MS / 1000 + " s of its start", null, false);
        }
    }

    @Override
    public Optional<String> whyItCannotPause() {
        try {
            pid();
            return Optional.empty();
        } catch (StoreException e) {
            return Optional.of(describe() + ": " + e.getMessage());
        }
    }

    @Override
    public void pauseServer() {
        paused.stop(pid());
    }

    @Override
    public void resumeServer() {
        paused.resume();
    }

    private long pid() {
        return Signals.requireServerPidIn(PID_FILE, ZOOKEEPER);
    }

    /** The four-letter word srvr, which bin/start-services also waits for. */
    private static boolean answers() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", PORT), 1_000);
            s.setSoTimeout(2_000);
            OutputStream out = s.getOutputStream();
            out.write("srvr".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).contains("Zookeeper version");
        } catch (IOException e) {
            return false;
        }
    }

}
