package dev.racelab.internal.lab;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A kill -9 of a node's PostgreSQL under Patroni: the postmaster whose pid the node's own
 * postmaster.pid names, checked to run this PostgreSQL's postgres on this data directory, then
 * its children still running (see {@link LabTopology#killServer}). Never by a name pattern.
 */
final class PostgresKill implements LabStoreKind.ServerKill {
    @Override
    public String serverName() {
        return "postgres";
    }

    @Override
    public List<ProcessIdentity> serverProcesses(LabState lab, LabNode node) {
        Path dir = PatroniLab.dataDir(lab, node);
        Optional<Long> pid = postmasterPid(dir);
        if (pid.isEmpty() || !isPostgresOf(pid.get(), dir)) return List.of();
        Optional<ProcessIdentity> postmaster = ProcessIdentity.of(pid.get());
        if (postmaster.isEmpty()) return List.of();
        List<ProcessIdentity> all = new ArrayList<>(List.of(postmaster.get()));
        all.addAll(childrenOf(pid.get()));
        return all;
    }

    /** Back: Patroni says its PostgreSQL runs, as the primary or as a replica the primary lists as streaming. */
    @Override
    public Optional<String> notBack(LabState lab, LabNode node) {
        Optional<JsonNode> own = PatroniRest.patroni(node);
        if (own.isEmpty()) return Optional.of("Patroni on " + node.name() + " does not answer");
        if (!own.get().path("state").asText().equals("running")) {
            return Optional.of("PostgreSQL on " + node.name() + " is " + own.get().path("state").asText("not running") + ", not running yet");
        }
        if (PatroniRest.isPrimaryRole(own.get().path("role").asText())) return Optional.empty();
        return PatroniRest.replicatesOrSilent(lab, node) ? Optional.empty() : Optional.of(node.name() + " does not stream from the primary yet");
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
        if (p.isEmpty() || !p.get().executable().equals(PatroniLab.POSTGRES.toString())) return false;
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
                        .filter(c -> c.executable().equals(PatroniLab.POSTGRES.toString())).ifPresent(children::add);
            }
        } catch (IOException e) {
            throw new LabException("cannot list /proc: " + e.getMessage(), e);
        }
        return children;
    }
}
