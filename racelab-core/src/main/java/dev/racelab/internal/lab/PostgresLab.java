package dev.racelab.internal.lab;

import dev.racelab.core.UsageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One PostgreSQL 15 server (Debian's {@code /usr/lib/postgresql/15/bin}) on its node, for the
 * cells, usually beside a lease store ({@code --with postgres}). It runs as the {@code postgres}
 * user (setpriv, which keeps the pid), listens on its node's address, port 5432, trusts the
 * lab's subnet, and serves the database {@code test}. Its data directory and its unix socket
 * directory are its own, under the lab's data directory: never the machine's PostgreSQL's
 * (5432 on loopback, /var/run/postgresql), which is invisible inside a namespace anyway.
 *
 * <p>The lab's directories are root's own (0700), so the postgres user cannot walk the path to
 * its data. Its node directory, owned by postgres, is bind-mounted on {@code /mnt} in a mount
 * namespace of the server's own ({@code unshare --mount}, private: nothing shows outside), and
 * the server reads and writes it there.
 */
final class PostgresLab implements LabStoreKind {
    static final String NAME = "postgres";
    static final int PORT = 5432;
    static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");
    static final String DATABASE = "test";
    /** Where the node's directory appears to the server, in its own mount namespace. */
    private static final String MOUNTED = "/mnt";
    /** Mounts the node's directory ($0) on /mnt, then becomes postgres and runs the program ("$@"): every step execs the next. */
    private static final String AS_POSTGRES = "mount --bind \"$0\" " + MOUNTED
            + " && exec setpriv --reuid=postgres --regid=postgres --init-groups \"$@\"";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "one PostgreSQL 15 server on its node (database test, trust for the lab's subnet), for the cells";
    }

    @Override
    public List<Preflight.Needed> needs() {
        return List.of(new Preflight.Needed(BIN.resolve("postgres").toString(), "postgresql-15"),
                new Preflight.Needed(BIN.resolve("initdb").toString(), "postgresql-15"),
                new Preflight.Needed("setpriv", "util-linux"), new Preflight.Needed("unshare", "util-linux"),
                new Preflight.Needed("mount", "mount"));
    }

    @Override
    public int minNodes() {
        return 1;
    }

    @Override
    public int maxNodes() {
        return 1;
    }

    @Override
    public Map<String, String> options(Map<String, String> given) {
        if (!given.isEmpty()) throw new UsageException(NAME + " has no lab options; it was given: " + String.join(", ", given.keySet()));
        return Map.of();
    }

    @Override
    public void start(LabState lab, Path dataRoot, Starter starter) {
        for (LabNode node : lab.nodes()) {
            Path dir = dataRoot.resolve(node.name() + "-postgres");
            try {
                LabDirectory.createPrivate(dir);
                Files.createDirectories(dir.resolve("run"));
                HostCommands.require("chown", "-R", "postgres:postgres", dir.toString());
            } catch (IOException e) {
                throw new LabException("cannot make " + dir + ": " + e.getMessage(), e);
            }
            HostCommands.require(List.of("unshare", "--mount", "sh", "-c", AS_POSTGRES, dir.toString(), BIN.resolve("initdb").toString(),
                    "-D", MOUNTED + "/pgdata", "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"));
            Path hba = dir.resolve("pgdata/pg_hba.conf");
            try {
                Files.writeString(hba, String.join("\n", "local all all trust", "host all all 127.0.0.1/32 trust",
                        "host all all " + lab.subnet() + " trust") + "\n");
            } catch (IOException e) {
                throw new LabException("cannot write " + hba + ": " + e.getMessage(), e);
            }
            HostCommands.require("chown", "postgres:postgres", hba.toString());
            starter.startAs(List.of("unshare", "--mount", "sh", "-c", AS_POSTGRES, dir.toString()), "postgres", node,
                    BIN.resolve("postgres"), List.of("-D", MOUNTED + "/pgdata", "-c", "listen_addresses=" + node.address() + ",127.0.0.1",
                            "-c", "port=" + PORT, "-c", "unix_socket_directories=" + MOUNTED + "/run", "-c", "max_connections=200",
                            "-c", "logging_collector=off"), dir, PORT);
            starter.await(() -> answers(node, "postgres") ? Optional.empty()
                    : Optional.of("the PostgreSQL on " + node.name() + " does not take connections yet"));
            try (Connection c = connect(node, "postgres"); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + DATABASE);
            } catch (SQLException e) {
                throw new LabException("cannot create the database " + DATABASE + " on " + node.name() + ": " + e.getMessage(), e);
            }
        }
    }

    private static boolean answers(LabNode node, String database) {
        try (Connection c = connect(node, database); Statement s = c.createStatement()) {
            s.execute("SELECT 1");
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private static Connection connect(LabNode node, String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + node.address() + ":" + PORT + "/" + database
                + "?user=postgres&connectTimeout=2&socketTimeout=5");
    }

    @Override
    public Optional<String> notReady(LabState lab) {
        for (LabNode node : lab.nodes()) {
            if (!answers(node, DATABASE)) return Optional.of("the PostgreSQL on " + node.name() + " does not serve the database " + DATABASE + " yet");
        }
        return Optional.empty();
    }

    @Override
    public Map<String, String> urls(LabState lab) {
        return Map.of(NAME, url(lab));
    }

    private static String url(LabState lab) {
        return "jdbc:postgresql://" + lab.nodes().getFirst().address() + ":" + PORT + "/" + DATABASE + "?user=postgres";
    }

    /** The postgres store provider as it is, at the node's address. */
    @Override
    public LabRunStore runStore(LabState lab) {
        return new LabRunStore("postgres", Map.of("postgres-url", url(lab)));
    }
}
