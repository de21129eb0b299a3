package dev.racelab.internal.cli;

import dev.racelab.core.Clock;
import dev.racelab.core.UsageException;
import dev.racelab.internal.json.Json;
import dev.racelab.internal.lab.LabNode;
import dev.racelab.internal.lab.LabState;
import dev.racelab.internal.lab.LabStatus;
import dev.racelab.internal.lab.Labs;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "lab", mixinStandardHelpOptions = true,
        description = {"Makes hosts of their own on this machine (network namespaces on a bridge, as root) and runs a replicated"
                + " store on them: a lab. 'lab up' makes one, 'lab status' shows them, 'lab down' removes everything one made."},
        subcommands = {LabCommand.Up.class, LabCommand.Status.class, LabCommand.Down.class})
public final class LabCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = {"Makes the lab NAME: one network namespace per node (rl-NAME-n1, ...) with an address on a bridge of its own,"
                    + " and starts the store's servers there. Needs root, ip and nft; says so in one line before it changes anything."
                    + " Prints the URLs a client uses and the time the store took to be ready.",
                    "Store kinds: redis-sentinel (a Redis primary on n1, a replica on each other node, a Sentinel on every node),"
                            + " etcd (an etcd member on every node, one ensemble, for leases), postgres-patroni (PostgreSQL 15"
                            + " under Patroni on every node, with an etcd ensemble beside it), mariadb-galera (a MariaDB node with"
                            + " Galera on every node; clients write to the first that takes writes), zookeeper-ensemble (a ZooKeeper"
                            + " server on every node, one ensemble, for leases), postgres (one PostgreSQL 15 server, database test,"
                            + " for the cells).",
                    "--with KIND adds a second store on node(s) of its own after the store's, e.g. --store zookeeper-ensemble --with"
                            + " postgres: a ZooKeeper ensemble on n1-n3 for the leases, a PostgreSQL on n4 for the cells."})
    static final class Up implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "the lab's name: up to 20 lowercase letters, digits or dashes")
        String name;

        @Option(names = "--store", required = true, paramLabel = "KIND", description = "the replicated store the lab runs:"
                + " redis-sentinel, etcd, postgres-patroni, mariadb-galera, zookeeper-ensemble, postgres")
        String store;

        @Option(names = "--with", paramLabel = "KIND", description = "a second store on node(s) of its own, after the store's"
                + " (--nodes counts the store's only), e.g. postgres for the cells beside a zookeeper-ensemble for the leases")
        String with;

        @Option(names = "--nodes", paramLabel = "N", description = "how many hosts the store runs on (default: its smallest"
                + " cluster: 3, and 1 for postgres)")
        Integer nodes;

        @Option(names = "--ssh-hosts", defaultValue = "0", paramLabel = "N", description = "also make N plain hosts h1..hN on the lab's"
                + " bridge, each running sshd on port 22 of its address; root logs in with a key racelab makes for the lab"
                + " (for racelab run --lab NAME --hosts root@ADDRESS,...; default: none)")
        int sshHosts;

        @Option(names = "--lab-option", paramLabel = "KEY=VALUE", description = "a setting of the store's servers, repeatable;"
                + " redis-sentinel: min-replicas-to-write, min-replicas-max-lag, appendfsync (always, everysec, no);"
                + " zookeeper-ensemble: max-session-timeout (ms, default 2000: the longest a lease outlives a silent holder)")
        Map<String, String> options = new LinkedHashMap<>();

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Labs labs = new Labs(Clock.SYSTEM, line -> {
                out.println(line);
                out.flush();
            });
            LabState lab = labs.up(name, store, nodes == null ? Labs.defaultNodes(store) : nodes, options, with, sshHosts);
            out.printf(Locale.ROOT, "lab %s ready in %.1f s (from 'lab up' to a ready %s)%n", lab.name(), lab.readySeconds(),
                    lab.store() + (lab.with() == null ? "" : " with " + lab.with().store() + " on " + String.join(", ", lab.with().nodes())));
            lab.urls().forEach((kind, url) -> out.println("  " + kind + " URL: " + url));
            for (LabNode h : lab.hosts()) out.println("  ssh host " + h.name() + ": root@" + h.address());
            out.println("  remove it with: racelab lab down " + lab.name());
            out.flush();
            return ExitCode.PASS;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Shows each lab (or the lab NAME): its store, its nodes with their namespaces and addresses, its servers"
                    + " (role, node, pid, running or not) and the URLs a run uses.")
    static final class Status implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "one lab; all of them when left out")
        String name;

        @Option(names = "--json", description = "print JSON: the lab's object, or a list of them without NAME")
        boolean json;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            Labs labs = new Labs(Clock.SYSTEM, line -> { });
            List<LabStatus> shown;
            if (name != null) {
                LabState lab = labs.find(name).orElseThrow(() -> new UsageException("no lab " + name + " on this machine"));
                shown = List.of(LabStatus.of(lab));
            } else {
                shown = labs.all().stream().map(LabStatus::of).toList();
            }
            if (json) {
                out.println(Json.MAPPER.writeValueAsString(name != null ? shown.getFirst() : shown));
            } else if (shown.isEmpty()) {
                out.println("no labs on this machine (make one with: racelab lab up NAME --store redis-sentinel)");
            } else {
                for (LabStatus lab : shown) print(out, lab);
            }
            out.flush();
            return ExitCode.PASS;
        }

        private static void print(PrintWriter out, LabStatus lab) {
            String ready = lab.readySeconds() == null ? lab.phase() : String.format(Locale.ROOT, "ready in %.1f s", lab.readySeconds());
            String with = lab.with() == null ? "" : " with " + lab.with().store() + " on " + String.join(", ", lab.with().nodes());
            out.printf("lab %s: %s%s on %s (%s)%n", lab.name(), lab.store(), with, lab.subnet(), ready);
            for (LabNode n : lab.nodes()) out.printf("  node %-4s %-15s namespace %s%n", n.name(), n.address(), n.namespace());
            for (LabNode h : lab.hosts()) out.printf("  host %-4s %-15s namespace %s (sshd, root@%s)%n", h.name(), h.address(), h.namespace(), h.address());
            for (LabStatus.Server s : lab.servers()) {
                out.printf("  %-9s on %-4s %s:%d pid %d %s%n", s.role(), s.node(), s.address(), s.port(), s.pid(),
                        s.alive() ? "running" : "NOT RUNNING");
            }
            lab.urls().forEach((kind, url) -> out.println("  " + kind + " URL: " + url));
            if (!lab.options().isEmpty()) out.println("  options: " + lab.options());
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true,
            description = "Removes everything the lab made, by what its state file recorded: its servers (by pid, once /proc shows"
                    + " the same process), its namespaces, links, nftables tables, /etc/netns files, data and state. Safe to repeat,"
                    + " and after racelab itself was killed.")
    static final class Down implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "the lab to remove")
        String name;

        @Option(names = "--all", description = "remove every lab on this machine")
        boolean all;

        @Override
        public Integer call() {
            if (all == (name != null)) throw new UsageException("racelab lab down takes a lab's NAME or --all");
            PrintWriter out = spec.commandLine().getOut();
            Labs labs = new Labs(Clock.SYSTEM, line -> { });
            List<Labs.Removal> removed = all ? labs.downAll() : List.of(labs.down(name));
            if (removed.isEmpty()) out.println("no labs to remove");
            for (Labs.Removal r : removed) out.println(r.describe());
            out.flush();
            return ExitCode.PASS;
        }
    }
}
