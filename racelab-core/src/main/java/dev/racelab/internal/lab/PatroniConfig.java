package dev.racelab.internal.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** A node's Patroni configuration, as {@link PatroniLab} describes it, and the directory it lives in. */
final class PatroniConfig {
    private PatroniConfig() {
    }

    /** Gives the node's directory, and all in it, to the postgres user. */
    static void ownedByPostgres(Path dir) throws IOException {
        UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
        UserPrincipal user = users.lookupPrincipalByName(PatroniLab.USER);
        GroupPrincipal group = users.lookupPrincipalByGroupName(PatroniLab.USER);
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.toList()) {
                PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class);
                view.setOwner(user);
                view.setGroup(group);
            }
        }
    }

    /** The node's patroni.yml. */
    static String yaml(LabState lab, LabNode node, Path dir, boolean synchronous) {
        String etcd = lab.nodes().stream().map(n -> n.address() + ":" + EtcdLab.CLIENT_PORT).collect(Collectors.joining(","));
        String subnet = lab.subnet();
        return String.join("\n",
                "scope: " + PatroniLab.SCOPE,
                "namespace: /racelab/",
                "name: " + node.name(),
                "restapi:",
                "  listen: " + node.address() + ":" + PatroniLab.REST_PORT,
                "  connect_address: " + node.address() + ":" + PatroniLab.REST_PORT,
                "etcd3:",
                "  hosts: " + etcd,
                "bootstrap:",
                "  dcs:",
                "    ttl: 10",
                "    loop_wait: 2",
                "    retry_timeout: 4",
                "    maximum_lag_on_failover: 1048576",
                "    primary_start_timeout: 0",
                "    synchronous_mode: " + synchronous,
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
                "  listen: " + node.address() + ",127.0.0.1:" + PatroniLab.POSTGRES_PORT,
                "  connect_address: " + node.address() + ":" + PatroniLab.POSTGRES_PORT,
                "  data_dir: " + dir.resolve("pgdata"),
                "  bin_dir: " + PatroniLab.BIN,
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
}
