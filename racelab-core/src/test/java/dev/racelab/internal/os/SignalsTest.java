package dev.racelab.internal.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.racelab.core.StoreException;
import dev.racelab.testing.TestStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pid file is believed only when it names the server it should: the process's executable is
 * checked in /proc, and a pid file that anyone could have written (in a world-writable
 * directory, or writable by anyone) is refused. A refused pid is never signalled.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SignalsTest {
    private static final ProcessIdentity MARIADBD = ProcessIdentity.executable(Path.of("/usr/sbin/mariadbd"));

    @Test
    void aPidFileThatNamesAnotherProgramIsRefusedAndThatProgramIsNotSignalled(@TempDir Path dir) throws Exception {
        Process stranger = new ProcessBuilder("sleep", "600").start();
        try {
            Path pidFile = privateFile(dir, "mariadbd.pid", Long.toString(stranger.pid()));
            assertThat(Signals.serverPidIn(pidFile, MARIADBD)).isEmpty();
            assertThatThrownBy(() -> Signals.requireServerPidIn(pidFile, MARIADBD)).isInstanceOf(StoreException.class)
                    .hasMessageContaining(Long.toString(stranger.pid())).hasMessageContaining("/usr/sbin/mariadbd");
            assertThat(Signals.isStopped(stranger.pid())).isFalse();
            assertThat(stranger.isAlive()).isTrue();
        } finally {
            stranger.destroyForcibly();
        }
    }

    @Test
    void theRealServersPidIsBelievedFromAPrivateFileButNotFromAWorldWritableDirectory(@TempDir Path dir) throws Exception {
        long mariadbd = mariaDbPid();
        Path trusted = privateFile(dir, "mariadbd.pid", Long.toString(mariadbd));
        assertThat(Signals.serverPidIn(trusted, MARIADBD)).contains(mariadbd);

        Path planted = Files.createTempFile(Path.of("/tmp"), "racelab-planted-", ".pid"); // /tmp: anyone may write there
        try {
            Files.writeString(planted, Long.toString(mariadbd));
            assertThat(Signals.serverPidIn(planted, MARIADBD)).isEmpty();
            assertThatThrownBy(() -> Signals.requireServerPidIn(planted, MARIADBD)).hasMessageContaining("world-writable");
        } finally {
            Files.deleteIfExists(planted);
        }
        Path open = privateFile(dir, "open.pid", Long.toString(mariadbd));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-rw-rw-"));
        assertThat(Signals.serverPidIn(open, MARIADBD)).as("a pid file anyone may write").isEmpty();
    }

    @Test
    void aStalePidIsRefused(@TempDir Path dir) throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path pidFile = privateFile(dir, "stale.pid", Long.toString(gone.pid()));
        assertThat(Signals.serverPidIn(pidFile, ProcessIdentity.executable(Path.of("/usr/bin/true")))).isEmpty();
    }

    @Test
    void aJavaServerIsKnownByTheArgumentsOfItsCommandLine(@TempDir Path dir) throws Exception {
        Path main = dir.resolve("Sleeper.java");
        Files.writeString(main, "class Sleeper { public static void main(String[] a) throws Exception { Thread.sleep(600_000); } }");
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process jvm = new ProcessBuilder(java, main.toString(), "/etc/zoo-of-this-test.cfg").start();
        try {
            assertThat(Signals.awaitTrue(() -> ProcessIdentity.java(main.toString(), "/etc/zoo-of-this-test.cfg").matches(jvm.pid()), 10_000))
                    .isTrue();
            assertThat(ProcessIdentity.java("org.apache.zookeeper.server.quorum.QuorumPeerMain", "/etc/zoo-of-this-test.cfg")
                    .matches(jvm.pid())).as("another main class").isFalse();
            assertThat(ProcessIdentity.java(main.toString(), "/etc/zoo.cfg").matches(jvm.pid())).as("another configuration").isFalse();
        } finally {
            jvm.destroyForcibly();
        }
    }

    private static Path privateFile(Path dir, String name, String content) throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private static long mariaDbPid() throws Exception {
        try (Connection c = DriverManager.getConnection(TestStores.mysql().url()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT @@pid_file")) {
            rs.next();
            return Long.parseLong(Files.readString(Path.of(rs.getString(1))).trim());
        }
    }
}
