package dev.racelab.internal.lab;

import dev.racelab.core.UsageException;
import dev.racelab.internal.vocab.StrategyId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

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
                Files.writeString(conf, PatroniConfig.yaml(lab, node, dir, synchronous(lab)));
                Files.writeString(dir.resolve("pgpass"), "");
                PatroniConfig.ownedByPostgres(dir);
            } catch (IOException e) {
                throw new LabException("cannot write " + conf + ": " + e.getMessage(), e);
            }
            // n1 first: it takes the leader key and bootstraps; the others copy it with pg_basebackup
            starter.startAs(USER, "patroni", node, python, List.of(PATRONI.toString(), conf.toString()), dir, POSTGRES_PORT);
            if (node == lab.nodes().getFirst()) starter.await(() -> PatroniRest.actsAsPrimary(node) ? Optional.empty()
                    : Optional.of("Patroni on " + node.name() + " has not bootstrapped its PostgreSQL yet"));
        }
    }

    /** A node's Patroni directory: its configuration, its log, PostgreSQL's socket and data; the postgres user's own. */
    static Path nodeDir(Path userData, LabNode node) {
        return userData.resolve(node.name() + "-patroni");
    }

    /** A node's PostgreSQL data directory. */
    static Path dataDir(LabState lab, LabNode node) {
        return nodeDir(LabDirectory.userDataDir(Path.of(lab.dataDirs().getFirst())), node).resolve("pgdata");
    }

    /**
     * Ready: every node's PostgreSQL runs, n1 is the primary and every other node streams from it,
     * every Patroni names n1 the leader; with synchronous_mode, Patroni has named a synchronous
     * standby (before that, commits do not wait for one).
     */
    @Override
    public Optional<String> notReady(LabState lab) {
        LabNode first = lab.nodes().getFirst();
        if (!PatroniRest.actsAsPrimary(first)) return Optional.of("PostgreSQL on " + first.name() + " is not the primary yet");
        List<String> streaming = PatroniRest.streamingFrom(first);
        for (LabNode node : lab.nodes().subList(1, lab.nodes().size())) {
            if (!streaming.contains(node.name())) return Optional.of(node.name() + " does not stream from " + first.name() + " yet");
        }
        for (LabNode node : lab.nodes()) {
            if (!PatroniRest.leaderNamedBy(lab, node).equals(Optional.of(first.name()))) {
                return Optional.of("Patroni on " + node.name() + " does not name " + first.name() + " the leader yet");
            }
        }
        if (synchronous(lab) && !PatroniRest.hasSyncStandby(first)) return Optional.of("Patroni has not named a synchronous standby yet");
        return Optional.empty();
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
                return PatroniRest.leaderNamedBy(lab, elector);
            }

            @Override
            public boolean actsAsPrimary(LabState lab, LabNode node) {
                return PatroniRest.actsAsPrimary(node);
            }

            @Override
            public boolean replicatesOrSilent(LabState lab, LabNode node) {
                return PatroniRest.replicatesOrSilent(lab, node);
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
     * A kill -9 of a node's PostgreSQL, by the pid its own postmaster.pid names (see
     * {@link PostgresKill}). Patroni, which stays, starts it again (as a replica once another
     * node was promoted: pg_rewind first).
     */
    @Override
    public List<LabFaultModel> measured() {
        return List.of(
                new LabFaultModel("asynchronous replication (the default)", StrategyId.ATOMIC.flagName() + " deposits", LabFaultModel.Outcome.NOT_MEASURED,
                        LabFaultModel.Outcome.LOST, "docs/LAB.md: five kill-primary runs each lost 1 or 2 acknowledged deposits"),
                new LabFaultModel("synchronous_mode=true", StrategyId.ATOMIC.flagName() + " deposits", LabFaultModel.Outcome.NOT_MEASURED, LabFaultModel.Outcome.KEPT,
                        "LabPatroniTest: kill-primary under load, 0 lost, invoked == planned"));
    }

    @Override
    public Optional<ServerKill> serverKill() {
        return Optional.of(new PostgresKill());
    }
}
