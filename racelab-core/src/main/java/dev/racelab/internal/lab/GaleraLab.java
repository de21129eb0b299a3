package dev.racelab.internal.lab;

import dev.racelab.core.UsageException;
import dev.racelab.internal.vocab.StrategyId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * MariaDB with Galera 4, as production runs it: a node on every host, each a primary (Galera is
 * multi-primary), the first one bootstrapping the cluster ({@code --wsrep-new-cluster}), the others
 * joining it with a full state transfer by rsync. Each server runs as the mysql user (setpriv execs
 * it, so the pid racelab records is the server's own), bound to its node's address, with a
 * datadir, socket and pid file of its own under the lab's data directory: never the machine's
 * own MariaDB on 127.0.0.1:3306, whose files it never names.
 *
 * <p>Clients write to one node at a time: MariaDB Connector/J's sequential URL takes the first
 * node that answers and moves on when it fails. The lab's "primary" is that node: the first of the
 * sequence that is in the Primary component and Synced.
 */
final class GaleraLab implements LabStoreKind {
    static final String NAME = "mariadb-galera";
    static final int PORT = 3306;
    /** The user the lab makes for clients, from any address, without a password: the lab's addresses are its own. */
    static final String USER = "racelab";
    static final String SERVER_USER = "mysql";
    static final Path PROVIDER = Path.of("/usr/lib/galera/libgalera_smm.so");
    private static final String NEW_CLUSTER = "--wsrep-new-cluster";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "a MariaDB node with Galera on every node (multi-primary; clients write to the first that takes writes)";
    }

    @Override
    public List<Preflight.Needed> needs() {
        return List.of(new Preflight.Needed("mariadbd", "mariadb-server"), new Preflight.Needed("mariadb-install-db", "mariadb-server"),
                new Preflight.Needed("mariadb", "mariadb-client"), new Preflight.Needed("wsrep_sst_rsync", "mariadb-server"),
                new Preflight.Needed("rsync", "rsync"), new Preflight.Needed("setpriv", "util-linux"));
    }

    @Override
    public int minNodes() {
        return 3;
    }

    /** No options yet; the Galera library is checked here, before anything changes (it is no program Preflight can find). */
    @Override
    public Map<String, String> options(Map<String, String> given) {
        if (!given.isEmpty()) throw new UsageException("mariadb-galera has no lab options; given: " + String.join(", ", given.keySet()));
        if (!Files.isRegularFile(PROVIDER)) {
            throw new UsageException("lab needs the Galera library " + PROVIDER + ": apt-get install -y galera-4"
                    + " (bin/lab-packages installs all a lab needs)");
        }
        return Map.of();
    }

    @Override
    public void start(LabState lab, Path dataRoot, Starter starter) {
        Path mariadbd = find("mariadbd");
        List<Path> dirs = new ArrayList<>();
        try {
            for (LabNode node : lab.nodes()) {
                Path dir = dataRoot.resolve(node.name() + "-mariadb");
                LabDirectory.createPrivate(dir.resolve("data"));
                Files.writeString(dir.resolve("my.cnf"), conf(lab, node, dir));
                ownedByServerUser(dir);
                ownedByServerUser(dir.resolve("data"));
                dirs.add(dir);
            }
            // the servers run as mysql: it must pass through root's state directories to its own
            LabDirectory.passable(dataRoot, dataRoot.getParent().getParent());
        } catch (IOException e) {
            throw new LabException("cannot prepare the MariaDB directories under " + dataRoot + ": " + e.getMessage(), e);
        }
        Path first = dirs.getFirst();
        HostCommands.require(find("mariadb-install-db").toString(), "--no-defaults", "--user=" + SERVER_USER,
                "--datadir=" + first.resolve("data"), "--auth-root-authentication-method=socket", "--skip-test-db",
                "--skip-name-resolve");
        for (int i = 0; i < lab.nodes().size(); i++) {
            LabNode node = lab.nodes().get(i);
            Path dir = dirs.get(i);
            List<String> args = new ArrayList<>(List.of("--defaults-file=" + dir.resolve("my.cnf")));
            if (i == 0) args.add(NEW_CLUSTER);
            starter.startAs(SERVER_USER, i == 0 ? "bootstrap" : "joiner", node, mariadbd, args, dir, PORT);
            if (i == 0) starter.await(() -> makeClientUser(dir));
            starter.await(() -> notSynced(node));
        }
    }

    private static Path find(String program) {
        return Preflight.find(program).orElseThrow(() -> new LabException(program + " is missing"));
    }

    private static void ownedByServerUser(Path path) throws IOException {
        UserPrincipalLookupService users = path.getFileSystem().getUserPrincipalLookupService();
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        view.setOwner(users.lookupPrincipalByName(SERVER_USER));
        GroupPrincipal group = users.lookupPrincipalByGroupName(SERVER_USER);
        view.setGroup(group);
    }

    private static String conf(LabState lab, LabNode node, Path dir) {
        String members = lab.nodes().stream().map(LabNode::address).collect(Collectors.joining(","));
        return String.join("\n",
                "[mysqld]",
                "datadir=" + dir.resolve("data"),
                "socket=" + dir.resolve("mysqld.sock"),
                "pid-file=" + dir.resolve("mysqld.pid"),
                "bind-address=" + node.address(),
                "port=" + PORT,
                "skip-name-resolve",
                "binlog_format=ROW",
                "default_storage_engine=InnoDB",
                "innodb_autoinc_lock_mode=2",
                // a lab of three on a small machine: modest memory each
                "innodb_buffer_pool_size=64M",
                "innodb_log_file_size=32M",
                "wsrep_on=ON",
                "wsrep_provider=" + PROVIDER,
                "wsrep_provider_options=\"gcache.size=64M\"",
                "wsrep_cluster_name=racelab-" + lab.name(),
                "wsrep_cluster_address=gcomm://" + members,
                "wsrep_node_name=" + node.name(),
                "wsrep_node_address=" + node.address(),
                "wsrep_node_incoming_address=" + node.address() + ":" + PORT,
                "wsrep_sst_method=rsync",
                "") + "\n";
    }

    /** The clients' user and database, made on the first node over its socket (root by socket authentication); replicated from there. */
    private static Optional<String> makeClientUser(Path dir) {
        HostCommands.Result r = HostCommands.run(List.of(find("mariadb").toString(), "--no-defaults", "--socket=" + dir.resolve("mysqld.sock"),
                "-u", "root", "-e", "CREATE USER IF NOT EXISTS '" + USER + "'@'%'; GRANT ALL ON *.* TO '" + USER + "'@'%';"
                        + " CREATE DATABASE IF NOT EXISTS test;"));
        return r.ok() ? Optional.empty() : Optional.of("the first node does not take its clients' user yet: " + r.output());
    }

    private static Optional<String> notSynced(LabNode node) {
        Optional<GaleraStatus> status = GaleraStatus.of(node);
        if (status.isEmpty()) return Optional.of(node.name() + " does not answer yet");
        if (!status.get().takesWrites()) {
            return Optional.of(node.name() + " is " + status.get().localState() + " in a " + status.get().clusterStatus() + " component");
        }
        return Optional.empty();
    }

    /** Ready: every node is Synced in one Primary component of all the nodes. */
    @Override
    public Optional<String> notReady(LabState lab) {
        for (LabNode node : lab.nodes()) {
            Optional<String> missing = notSynced(node);
            if (missing.isPresent()) return missing;
            int size = GaleraStatus.of(node).map(GaleraStatus::clusterSize).orElse(0);
            if (size != lab.nodes().size()) return Optional.of(node.name() + " sees " + size + " of " + lab.nodes().size() + " nodes");
        }
        return Optional.empty();
    }

    @Override
    public Map<String, String> urls(LabState lab) {
        return Map.of(name(), clientUrl(lab));
    }

    /** Connector/J's sequential mode: the first node that answers, the next when it fails. */
    static String clientUrl(LabState lab) {
        String hosts = lab.nodes().stream().map(n -> n.address() + ":" + PORT).collect(Collectors.joining(","));
        return "jdbc:mariadb:sequential://" + hosts + "/test?user=" + USER + "&connectTimeout=2000&socketTimeout=10000";
    }

    /** The mysql store as it is, pointed at the lab through the sequential URL. */
    @Override
    public LabRunStore runStore(LabState lab) {
        return new LabRunStore("mysql", Map.of("mysql-url", clientUrl(lab)));
    }

    /**
     * Galera elects nothing: every node of the Primary component takes writes. The primary is the
     * node the clients write to, the first of their sequence that takes writes; a node names it
     * from its own component, and a node outside the Primary component names none.
     */
    @Override
    public Optional<Election> election() {
        return Optional.of(new Election() {
            @Override
            public String electors() {
                return "the clients' sequential failover";
            }

            @Override
            public Optional<String> primaryNamedBy(LabState lab, LabNode elector) {
                Optional<GaleraStatus> seen = GaleraStatus.of(elector);
                if (seen.isEmpty() || !"Primary".equals(seen.get().clusterStatus())) return Optional.empty();
                for (LabNode node : lab.nodes()) {
                    if (!seen.get().members().contains(node.address() + ":" + PORT)) continue;
                    if (GaleraStatus.of(node).map(GaleraStatus::takesWrites).orElse(false)) return Optional.of(node.name());
                }
                return Optional.empty();
            }

            @Override
            public boolean actsAsPrimary(LabState lab, LabNode node) {
                return GaleraStatus.of(node).map(GaleraStatus::takesWrites).orElse(false);
            }

            /** A node that stopped being the clients' node has rejoined when it takes writes again in the whole cluster. */
            @Override
            public boolean replicatesOrSilent(LabState lab, LabNode node) {
                Optional<GaleraStatus> status = GaleraStatus.of(node);
                return status.isEmpty() || status.get().takesWrites() && status.get().clusterSize() == lab.nodes().size();
            }
        });
    }

    /** A node started again joins the cluster it left: never a second bootstrap. */
    @Override
    public List<LabFaultModel> measured() {
        return List.of(new LabFaultModel("three nodes, clients on n1 first (a replica cut off alone; kill -9 of n1)", StrategyId.TRANSACTIONAL.flagName() + " transfers",
                LabFaultModel.Outcome.KEPT, LabFaultModel.Outcome.KEPT,
                "LabGaleraTest: partition-one and kill-primary under load, money conserved in the measured runs"));
    }

    @Override
    public Optional<java.util.function.Predicate<LabServer>> recordedStoreServers() {
        return Optional.of(server -> true); // each node runs one mariadbd and nothing else
    }

    @Override
    public List<String> restartCommand(LabServer server) {
        return server.command().stream().filter(a -> !a.equals(NEW_CLUSTER)).toList();
    }

    @Override
    public Optional<String> notRejoined(LabState lab, LabNode node) {
        Optional<String> missing = notSynced(node);
        if (missing.isPresent()) return missing;
        int size = GaleraStatus.of(node).map(GaleraStatus::clusterSize).orElse(0);
        return size == lab.nodes().size() ? Optional.empty() : Optional.of(node.name() + " sees " + size + " of " + lab.nodes().size() + " nodes");
    }
}
