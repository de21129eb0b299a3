package dev.racelab.internal.lab;

import com.fasterxml.jackson.databind.JsonNode;
import dev.racelab.core.UsageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * PostgreSQL 15 managed by Patroni 3.0.2, as production runs it: a PostgreSQL and a Patroni on
 * every node, Patroni keeping its leader key in a three-member etcd on the same nodes
 * ({@link EtcdLab#startMembers}). Patroni runs as the {@code postgres} user (PostgreSQL refuses
 * root) and starts PostgreSQL itself; racelab records Patroni's pid. {@code primary_start_timeout
 * 0}: a kill -9 of the primary's PostgreSQL fails over at once instead of restarting it in place
 * (the default waits 300 s). {@code ttl 10, loop_wait 2, retry_timeout 4}: a failover within
 * seconds. {@code use_pg_rewind}: the old primary rejoins as a replica of the new one.
 */
final class PatroniLab implements LabStoreKind {
    static final String NAME = "postgres-patroni";
    static final String SCOPE = "racelab";
    static final String USER = "postgres";
    static final int POSTGRES_PORT = 5432;
    static final int REST_PORT = 8008;
    static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");
    static final Path POSTGRES = BIN.resolve("postgres");
    private static final Path PATRONI = Path.of("/usr/bin/patroni");
    private static final Path PYTHON = Path.of("/usr/bin/python3");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "PostgreSQL 15 on every node managed by Patroni, with a three-member etcd for its leader key";
    }

    @Override
    public List<Preflight.Needed> needs() {
        List<Preflight.Needed> needs = new ArrayList<>(EtcdLab.NEEDS);
        needs.add(new Preflight.Needed("patroni", "patroni"));
        needs.add(new Preflight.Needed(POSTGRES.toString(), "postgresql-15"));
        needs.add(new Preflight.Needed("setpriv", "util-linux"));
        return needs;
    }

    @Override
    public int minNodes() {
        return 3;
    }

    @Override
    public Map<String, String> options(Map<String, String> given) {
        Map<String, String> options = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : given.entrySet()) {
            if (!e.getKey().equals("synchronous_mode")) {
                throw new UsageException("postgres-patroni has no lab option '" + e.getKey() + "'; it has: synchronous_mode");
            }
            if (!e.getValue().equals("true") && !e.getValue().equals("false")) {
                throw new UsageException("lab option synchronous_mode is true or false, not '" + e.getValue() + "'");
            }
            options.put(e.getKey(), e.getValue());
        }
        options.putIfAbsent("synchronous_mode", "false");
        return options;
    }

    private static boolean synchronous(LabState lab) {
        return "true".equals(lab.options().get("synchronous_mode"));
    }

    @Override
    public void start(LabState lab, Path dataRoot, Starter starter) {
        EtcdLab.startMembers(lab, dataRoot, starter);
        starter.await(() -> EtcdLab.unhealthy(lab));
        Path python;
        Path userData;
        try {
            userData = LabDirectory.createUserDataDir(dataRoot);
            python = PYTHON.toRealPath();
        } catch (IOException e) {
            throw new LabException("cannot prepare " + dataRoot + " for PostgreSQL: " + e.getMessage(), e);
        }
        for (LabNode node : lab.nodes()) {
            Path dir = nodeDir(userData, node);
            Path conf = dir.resolve("patroni.yml");
            try {
                LabDirectory.createPrivate(dir);
                Files.writeString(conf, config(lab, node, dir));
                Files.writeString(dir.resolve("pgpass"), "");
                ownedByPostgres(dir);
            } catch (IOException e) {
                throw new LabException("cannot write " + conf + ": " + e.getMessage(), e);
            }
            // n1 first: it takes the leader key and bootstraps; the others copy it with pg_basebackup
            starter.startAs(USER, "patroni", node, python, List.of(PATRONI.toString(), conf.toString()), dir, POSTGRES_PORT);
            if (node == lab.nodes().getFirst()) starter.await(() -> actsAsPrimary(node) ? Optional.empty()
                    : Optional.of("Patroni on " + node.name() + " has not bootstrapped its PostgreSQL yet"));
        }
    }

    /** A node's Patroni directory: its configuration, its log, PostgreSQL's socket and data; the postgres user's own. */
    static Path nodeDir(Path userData, LabNode node) {
        return userData.resolve(node.name() + "-patroni");
    }

    private static Path dataDir(LabState lab, LabNode node) {
        return nodeDir(LabDirectory.userDataDir(Path.of(lab.dataDirs().getFirst())), node).resolve("pgdata");
    }

    private static void ownedByPostgres(Path dir) throws IOException {
        UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
        UserPrincipal user = users.lookupPrincipalByName(USER);
        GroupPrincipal group = users.lookupPrincipalByGroupName(USER);
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.toList()) {
                PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class);
                view.setOwner(user);
                view.setGroup(group);
            }
        }
    }

    private static String config(LabState lab, LabNode node, Path dir) {
        String etcd = lab.nodes().stream().map(n -> n.address() + ":" + EtcdLab.CLIENT_PORT).collect(Collectors.joining(","));
        String subnet = lab.subnet();
        return String.join("\n",
                "scope: " + SCOPE,
                "namespace: /racelab/",
                "name: " + node.name(),
                "restapi:",
                "  listen: " + node.address() + ":" + REST_PORT,
                "  connect_address: " + node.address() + ":" + REST_PORT,
                "etcd3:",
                "  hosts: " + etcd,
                "bootstrap:",
                "  dcs:",
                "    ttl: 10",
                "    loop_wait: 2",
                "    retry_timeout: 4",
                "    maximum_lag_on_failover: 1048576",
                "    primary_start_timeout: 0",
                "    synchronous_mode: " + synchronous(lab),
                "    postgresql:",
                "      use_pg_rewind: true",
                "      use_slots: true",
                "      parameters:",
                "        wal_log_hints: 'on'",
                "        max_connections: 100",
                "  initdb:",
                "  - encoding: UTF8",
                "  - auth: trust",
                "postgresql:",
                "  listen: " + node.address() + ",127.0.0.1:" + POSTGRES_PORT,
                "  connect_address: " + node.address() + ":" + POSTGRES_PORT,
                "  data_dir: " + dir.resolve("pgdata"),
                "  bin_dir: " + BIN,
                "  pgpass: " + dir.resolve("pgpass"),
                "  use_pg_rewind: true",
                "  remove_data_directory_on_rewind_failure: true",
                "  remove_data_directory_on_diverged_timelines: true",
                "  authentication:",
                "    superuser: {username: postgres, password: racelab}",
                "    replication: {username: replicator, password: racelab}",
                "    rewind: {username: postgres, password: racelab}",
                "  parameters:",
                // the machine's own PostgreSQL owns /var/run/postgresql/.s.PGSQL.5432
                "    unix_socket_directories: '" + dir + "'",
                "  pg_hba:",
                "  - local all all trust",
                "  - host all all 127.0.0.1/32 trust",
                "  - host all all " + subnet + " trust",
                "  - host replication all 127.0.0.1/32 trust",
                "  - host replication all " + subnet + " trust",
                "") + "\n";
    }

    /** Patroni's view of its own node: {"state": "running", "role": "master" | "replica", "replication": [...]}, or empty when it does not answer. */
    private static Optional<JsonNode> patroni(LabNode node) {
        return HttpProbe.json(node.address(), REST_PORT, "/patroni");
    }

    private static boolean actsAsPrimary(LabNode node) {
        return patroni(node).filter(p -> p.path("state").asText().equals("running") && isPrimaryRole(p.path("role").asText())).isPresent();
    }

    private static boolean isPrimaryRole(String role) {
        return role.equals("master") || role.equals("primary");
    }

    /** The nodes that stream from {@code primary} now, by Patroni's application_name (the node's name). */
    private static List<String> streamingFrom(LabNode primary) {
        List<String> names = new ArrayList<>();
        patroni(primary).ifPresent(p -> p.path("replication").forEach(r -> {
            if (r.path("state").asText().equals("streaming")) names.add(r.path("application_name").asText());
        }));
        return names;
    }

    /**
     * Ready: every node's PostgreSQL runs, n1 is the primary and every other node streams from it,
     * every Patroni names n1 the leader; with synchronous_mode, Patroni has named a synchronous
     * standby (before that, commits do not wait for one).
     */
    @Override
    public Optional<String> notReady(LabState lab) {
        LabNode first = lab.nodes().getFirst();
        if (!actsAsPrimary(first)) return Optional.of("PostgreSQL on " + first.name() + " is not the primary yet");
        List<String> streaming = streamingFrom(first);
        for (LabNode node : lab.nodes().subList(1, lab.nodes().size())) {
            if (!streaming.contains(node.name())) return Optional.of(node.name() + " does not stream from " + first.name() + " yet");
        }
        for (LabNode node : lab.nodes()) {
            if (!leaderNamedBy(lab, node).equals(Optional.of(first.name()))) {
                return Optional.of("Patroni on " + node.name() + " does not name " + first.name() + " the leader yet");
            }
        }
        if (synchronous(lab) && !hasSyncStandby(first)) return Optional.of("Patroni has not named a synchronous standby yet");
        return Optional.empty();
    }

    private static boolean hasSyncStandby(LabNode primary) {
        return HttpProbe.json(primary.address(), REST_PORT, "/cluster").map(c -> {
            for (JsonNode m : c.path("members")) if (m.path("role").asText().equals("sync_standby")) return true;
            return false;
        }).orElse(false);
    }

    /** The leader the Patroni on {@code elector} names (its view of the leader key in etcd). */
    private static Optional<String> leaderNamedBy(LabState lab, LabNode elector) {
        return HttpProbe.json(elector.address(), REST_PORT, "/cluster").flatMap(c -> {
            for (JsonNode m : c.path("members")) {
                if (m.path("role").asText().equals("leader")) {
                    String name = m.path("name").asText();
                    return lab.nodes().stream().map(LabNode::name).filter(name::equals).findFirst();
                }
            }
            return Optional.empty();
        });
    }

    /** Patroni elects the primary: each names the holder of the leader key. */
    @Override
    public Optional<Election> election() {
        return Optional.of(new Election() {
            @Override
            public String electors() {
                return "Patroni";
            }

            @Override
            public Optional<String> primaryNamedBy(LabState lab, LabNode elector) {
                return leaderNamedBy(lab, elector);
            }

            @Override
            public boolean actsAsPrimary(LabState lab, LabNode node) {
                return PatroniLab.actsAsPrimary(node);
            }

            /** Silent, or a running replica that the node acting as primary lists as streaming. */
            @Override
            public boolean replicatesOrSilent(LabState lab, LabNode node) {
                Optional<JsonNode> own = patroni(node);
                if (own.isEmpty()) return true;
                if (!own.get().path("state").asText().equals("running") || isPrimaryRole(own.get().path("role").asText())) return false;
                return lab.nodes().stream().filter(n -> n != node && PatroniLab.actsAsPrimary(n))
                        .anyMatch(primary -> streamingFrom(primary).contains(node.name()));
            }
        });
    }

    /** pgjdbc's multi-host URL: it connects to whichever node is primary now, and re-checks a host's role each second. */
    static String jdbcUrl(LabState lab) {
        String hosts = lab.nodes().stream().map(n -> n.address() + ":" + POSTGRES_PORT).collect(Collectors.joining(","));
        return "jdbc:postgresql://" + hosts + "/postgres?user=postgres&targetServerType=primary&hostRecheckSeconds=1&connectTimeout=2";
    }

    @Override
    public Map<String, String> urls(LabState lab) {
        Map<String, String> urls = new LinkedHashMap<>();
        urls.put("postgres", jdbcUrl(lab));
        urls.put(EtcdLab.NAME, EtcdLab.endpoints(lab));
        return urls;
    }

    /** The postgres store as it is, with the multi-host URL: pgjdbc follows a failover at the next connection. */
    @Override
    public LabRunStore runStore(LabState lab) {
        return new LabRunStore("postgres", Map.of("postgres-url", jdbcUrl(lab)));
    }

    /**
     * A kill -9 of a node's PostgreSQL: the postmaster whose pid the node's own postmaster.pid
     * names, checked to be this data directory's postgres, then its children still running (see
     * {@link LabTopology#killServer}). Patroni, which stays, starts it again (as a replica once
     * another node was promoted: pg_rewind first).
     */
    @Override
    public Optional<ServerKill> serverKill() {
        return Optional.of(new ServerKill() {
            @Override
            public String serverName() {
                return "postgres";
            }

            @Override
            public List<ProcessIdentity> serverProcesses(LabState lab, LabNode node) {
                Path dataDir = dataDir(lab, node);
                Optional<Long> pid = postmasterPid(dataDir);
                if (pid.isEmpty() || !isPostgresOf(pid.get(), dataDir)) return List.of();
                Optional<ProcessIdentity> postmaster = ProcessIdentity.of(pid.get());
                if (postmaster.isEmpty()) return List.of();
                List<ProcessIdentity> all = new ArrayList<>(List.of(postmaster.get()));
                all.addAll(childrenOf(pid.get()));
                return all;
            }

            @Override
            public Optional<String> notBack(LabState lab, LabNode node) {
                Optional<JsonNode> own = patroni(node);
                if (own.isEmpty()) return Optional.of("Patroni on " + node.name() + " does not answer");
                if (!own.get().path("state").asText().equals("running")) {
                    return Optional.of("PostgreSQL on " + node.name() + " is " + own.get().path("state").asText("not running") + ", not running yet");
                }
                if (isPrimaryRole(own.get().path("role").asText())) return Optional.empty();
                return election().orElseThrow().replicatesOrSilent(lab, node) ? Optional.empty()
                        : Optional.of(node.name() + " does not stream from the primary yet");
            }
        });
    }

    /** The first line of postmaster.pid: the postmaster's pid, while the server runs. */
    private static Optional<Long> postmasterPid(Path dataDir) {
        try {
            String first = Files.readAllLines(dataDir.resolve("postmaster.pid")).stream().findFirst().orElse("").trim();
            return first.matches("\\d+") ? Optional.of(Long.parseLong(first)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Whether the pid runs this PostgreSQL's postgres on this data directory (its command line names the directory). */
    private static boolean isPostgresOf(long pid, Path dataDir) {
        Optional<ProcessIdentity> p = ProcessIdentity.of(pid);
        if (p.isEmpty() || !p.get().executable().equals(POSTGRES.toString())) return false;
        try {
            String cmdline = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"))).replace('\0', ' ');
            return cmdline.contains(dataDir.toString());
        } catch (IOException e) {
            return false;
        }
    }

    /** The postgres processes whose parent (field 4 of /proc/PID/stat) is the postmaster. */
    private static List<ProcessIdentity> childrenOf(long postmaster) {
        List<ProcessIdentity> children = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                String stat;
                try {
                    stat = Files.readString(proc.resolve("stat"));
                } catch (IOException gone) {
                    continue;
                }
                String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                if (Long.parseLong(after[4 - 3]) != postmaster) continue;
                ProcessIdentity.of(Long.parseLong(proc.getFileName().toString()))
                        .filter(c -> c.executable().equals(POSTGRES.toString())).ifPresent(children::add);
            }
        } catch (IOException e) {
            throw new LabException("cannot list /proc: " + e.getMessage(), e);
        }
        return children;
    }
}
