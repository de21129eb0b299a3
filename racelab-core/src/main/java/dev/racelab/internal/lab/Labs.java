package dev.racelab.internal.lab;

import dev.racelab.core.Clock;
import dev.racelab.core.UsageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Makes, describes and removes labs: hosts of their own (network namespaces on a bridge) with a
 * replicated store's servers on them. Every step is recorded in the lab's state file before it
 * is taken, so {@link #down} undoes a lab whatever point its {@link #up} reached.
 */
public final class Labs {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,19}");
    private static final String SUBNET_PREFIX = "10.213.";
    static final int MAX_NODES = 9;
    static final Duration READY_WITHIN = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration STOP_WITHIN = Duration.ofSeconds(5);

    private final LabDirectory directory;
    private final Clock clock;
    private final Consumer<String> progress;

    /** Labs under /var/lib/racelab/labs; {@code progress} hears a line per step of {@code up}. */
    public Labs(Clock clock, Consumer<String> progress) {
        this(LabDirectory.DEFAULT_ROOT, clock, progress);
    }

    Labs(Path stateRoot, Clock clock, Consumer<String> progress) {
        this.directory = new LabDirectory(stateRoot);
        this.clock = clock;
        this.progress = progress;
    }

    /** How many nodes a lab of {@code storeKind} has when {@code --nodes} is not given: its smallest cluster. */
    public static int defaultNodes(String storeKind) {
        return LabStoreKinds.named(storeKind).minNodes();
    }

    /** The store kinds a lab can run, with a sentence each. */
    public static Map<String, String> storeKinds() {
        Map<String, String> kinds = new java.util.LinkedHashMap<>();
        for (LabStoreKind k : LabStoreKinds.ALL) kinds.put(k.name(), k.description());
        return kinds;
    }

    /** What the lab tests showed of each store kind under a partition and a failover, by kind. */
    public static Map<String, List<LabFaultModel>> measuredFaults() {
        Map<String, List<LabFaultModel>> measured = new java.util.LinkedHashMap<>();
        for (LabStoreKind k : LabStoreKinds.ALL) measured.put(k.name(), k.measured());
        return measured;
    }

    /** Makes the lab and waits until its store is ready; a failure removes what was made and throws. */
    public LabState up(String name, String storeKind, int nodes, Map<String, String> options) {
        return up(name, storeKind, nodes, options, null);
    }

    /**
     * The same, with a second store's node(s) after the store's own ({@code --with KIND}, null for
     * none), e.g. a PostgreSQL node for the cells beside a ZooKeeper ensemble for the leases.
     */
    public LabState up(String name, String storeKind, int nodes, Map<String, String> options, String withKind) {
        return up(name, storeKind, nodes, options, withKind, 0);
    }

    /** The same, with {@code sshHosts} plain hosts (h1, ...) that run sshd beside the stores' nodes ({@code --ssh-hosts N}). */
    public LabState up(String name, String storeKind, int nodes, Map<String, String> options, String withKind, int sshHosts) {
        LabStoreKind kind = LabStoreKinds.named(storeKind);
        LabStoreKind with = withKind == null ? null : LabStoreKinds.named(withKind);
        if (with != null && with.name().equals(kind.name())) {
            throw new UsageException("--with " + withKind + " names the lab's own store kind; --with adds another store");
        }
        List<Preflight.Needed> needed = new ArrayList<>(Preflight.HOSTS);
        needed.addAll(kind.needs());
        if (with != null) needed.addAll(with.needs());
        if (sshHosts > 0) needed.addAll(LabSsh.NEEDS);
        return up(name, kind, nodes, options, needed, with, sshHosts);
    }

    /** {@code needed}: the programs checked before anything changes (a test passes one that does not exist). */
    LabState up(String name, LabStoreKind kind, int nodes, Map<String, String> given, List<Preflight.Needed> needed) {
        return up(name, kind, nodes, given, needed, null, 0);
    }

    private LabState up(String name, LabStoreKind kind, int nodes, Map<String, String> given, List<Preflight.Needed> needed,
            LabStoreKind with, int sshHosts) {
        requireName(name);
        int withNodes = with == null ? 0 : with.minNodes();
        int most = Math.min(kind.maxNodes(), MAX_NODES - withNodes);
        if (nodes < kind.minNodes() || nodes > most) {
            throw new UsageException("a " + kind.name() + " lab has " + (kind.minNodes() == most ? Integer.toString(most)
                    : kind.minNodes() + " to " + most) + " nodes, not " + nodes);
        }
        if (sshHosts < 0 || sshHosts > MAX_NODES) {
            throw new UsageException("a lab has 0 to " + MAX_NODES + " plain hosts (--ssh-hosts), not " + sshHosts);
        }
        Map<String, String> options = kind.options(given);
        Map<String, String> withOptions = with == null ? Map.of() : with.options(Map.of());
        Preflight.check(needed);
        long started = clock.nanoTime();
        LabState plan = directory.locked(() -> {
            if (directory.read(name).isPresent()) {
                throw new UsageException("lab " + name + " exists; remove it first with: racelab lab down " + name);
            }
            LabState planned = plan(name, kind, nodes, options, with, withNodes, withOptions, sshHosts);
            directory.write(planned);
            return planned;
        });
        try {
            HostNetwork.create(plan);
            progress.accept("lab " + name + ": hosts made: " + String.join(", ",
                    plan.namespaced().stream().map(n -> n.name() + " " + n.address() + " (namespace " + n.namespace() + ")").toList()));
            AtomicReference<LabState> current = new AtomicReference<>(plan);
            long deadline = clock.nanoTime() + READY_WITHIN.toNanos();
            LabStoreKind.Starter starter = new LabStoreKind.Starter() {
                @Override
                public LabServer start(String role, LabNode node, Path exe, List<String> args, Path dataDir, int port) {
                    return startAs(List.of(), role, node, exe, args, dataDir, port);
                }

                @Override
                public LabServer startAs(String user, String role, LabNode node, Path exe, List<String> args, Path dataDir, int port) {
                    return startAs(ServerLauncher.asUser(user), role, node, exe, args, dataDir, port);
                }

                @Override
                public LabServer startAs(List<String> launcher, String role, LabNode node, Path exe, List<String> args, Path dataDir,
                        int port) {
                    List<String> command = new ArrayList<>(launcher);
                    command.add(exe.toString());
                    command.addAll(args);
                    LabServer server = ServerLauncher.spawn(clock, role, node, exe, command, dataDir, port);
                    current.set(current.get().withServer(server));
                    directory.write(current.get());
                    progress.accept("lab " + name + ": started " + server.role() + " on " + node.name() + " (" + node.address() + ":" + server.port()
                            + ", pid " + server.pid() + ")");
                    return server;
                }

                @Override
                public void await(java.util.function.Supplier<Optional<String>> notYet) {
                    awaitReady(current.get(), notYet, deadline);
                }
            };
            kind.start(plan.viewFor(kind.name()), directory.dataDir(name), starter);
            if (with != null) with.start(plan.viewFor(with.name()), directory.dataDir(name), starter);
            awaitReady(current.get(), () -> kind.notReady(current.get().viewFor(kind.name()))
                    .or(() -> with == null ? Optional.empty() : with.notReady(current.get().viewFor(with.name()))), deadline);
            if (!plan.hosts().isEmpty()) LabSsh.start(current.get(), directory.labDir(name), directory.dataDir(name), starter);
            double seconds = (clock.nanoTime() - started) / 1e9;
            Map<String, String> urls = new java.util.LinkedHashMap<>(kind.urls(current.get().viewFor(kind.name())));
            if (with != null) urls.putAll(with.urls(current.get().viewFor(with.name())));
            LabState ready = current.get().ready(urls, seconds);
            directory.write(ready);
            return ready;
        } catch (RuntimeException e) {
            try {
                down(name);
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    private LabState plan(String name, LabStoreKind kind, int storeNodes, Map<String, String> options, LabStoreKind with, int withNodes,
            Map<String, String> withOptions, int sshHosts) {
        int count = storeNodes + withNodes;
        int octet = freeSubnet();
        String hash = shortHash(name);
        String bridge = "rlb" + hash;
        List<LabNode> nodes = new ArrayList<>();
        List<String> netnsDirs = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            String namespace = "rl-" + name + "-n" + i;
            nodes.add(new LabNode("n" + i, namespace, SUBNET_PREFIX + octet + "." + (10 + i), "rlv" + hash + "n" + i));
            netnsDirs.add(HostNetwork.NETNS_ETC.resolve(namespace).toString());
        }
        List<LabNode> hosts = new ArrayList<>();
        for (int i = 1; i <= sshHosts; i++) {
            String namespace = "rl-" + name + "-h" + i;
            hosts.add(new LabNode("h" + i, namespace, SUBNET_PREFIX + octet + "." + (LabSsh.FIRST_HOST_OCTET + i), "rlv" + hash + "h" + i));
            netnsDirs.add(HostNetwork.NETNS_ETC.resolve(namespace).toString());
        }
        Set<String> links = HostNetwork.links();
        Set<String> namespaces = HostNetwork.namespaces();
        List<LabNode> every = new ArrayList<>(nodes);
        every.addAll(hosts);
        for (LabNode n : every) {
            if (links.contains(n.hostLink()) || namespaces.contains(n.namespace()) || links.contains(bridge)) {
                throw new UsageException("lab " + name + " cannot be made: the namespace " + n.namespace() + " or the link " + n.hostLink()
                        + " or " + bridge + " exists already (left by another tool?); pick another lab name");
            }
        }
        return new LabState(name, kind.name(), LabState.CREATING, SUBNET_PREFIX + octet + ".0/24", bridge, SUBNET_PREFIX + octet + ".1",
                nodes, netnsDirs, List.of(directory.dataDir(name).toString(), LabDirectory.userDataDir(directory.dataDir(name)).toString()),
                List.of(), List.of(), options, Map.of(), null,
                with == null ? null : new LabState.WithStore(with.name(),
                        nodes.subList(storeNodes, count).stream().map(LabNode::name).toList(), withOptions), hosts);
    }

    /** A /24 in 10.213.0.0/16 that no address, route or other lab of this machine uses. */
    private int freeSubnet() {
        List<long[]> used = HostNetwork.usedPrefixes();
        Set<String> labSubnets = new java.util.HashSet<>();
        for (String other : directory.names()) {
            try {
                directory.read(other).ifPresent(s -> labSubnets.add(s.subnet()));
            } catch (LabException unreadable) {
                // a lab another racelab version made: its bridge's address is among the used prefixes anyway
            }
        }
        for (int octet = 1; octet <= 254; octet++) {
            long network = (10L << 24) | (213L << 16) | ((long) octet << 8);
            if (!labSubnets.contains(SUBNET_PREFIX + octet + ".0/24") && !HostNetwork.clashes(network, used)) return octet;
        }
        throw new LabException("no free /24 is left in 10.213.0.0/16 for a lab");
    }

    static String shortHash(String name) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 3);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void awaitReady(LabState lab, java.util.function.Supplier<Optional<String>> notYet, long deadline) {
        while (true) {
            for (LabServer s : lab.servers()) {
                if (!s.alive()) {
                    throw new LabException("lab " + lab.name() + ": the " + s.role() + " on " + s.node() + " (pid " + s.pid()
                            + ") stopped; its log " + s.log() + " ends: " + tail(Path.of(s.log())));
                }
            }
            Optional<String> missing = notYet.get();
            if (missing.isEmpty()) return;
            if (clock.nanoTime() > deadline) {
                throw new LabException("lab " + lab.name() + " was not ready within " + READY_WITHIN.toSeconds() + " s: " + missing.get());
            }
            sleep(POLL);
        }
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** What {@link #down} removed. */
    public record Removal(String name, boolean existed, int servers, int namespaces, int links, int directories, double seconds) {
        public String describe() {
            if (!existed) return "lab " + name + ": nothing to remove (no such lab)";
            return String.format(java.util.Locale.ROOT,
                    "lab %s removed: %d servers stopped, %d namespaces, %d links, %d directories, its state (%.1f s)",
                    name, servers, namespaces, links, directories, seconds);
        }
    }

    /**
     * Removes everything the lab's state names, what was made and what was only planned: the
     * servers (SIGTERM, then SIGKILL after 5 s, each only while /proc shows the recorded process),
     * any process left in the lab's namespaces, the nftables tables, the namespaces, the links, the
     * /etc/netns directories, the data, and the state. Harmless when there is nothing.
     */
    public Removal down(String name) {
        requireName(name);
        Preflight.check(List.of());
        long started = clock.nanoTime();
        Optional<LabState> found = directory.read(name);
        if (found.isEmpty()) {
            directory.remove(name); // a directory the state file was never written in
            return new Removal(name, false, 0, 0, 0, 0, 0);
        }
        LabState lab = found.get();
        int servers = stopServers(lab.servers());
        Set<String> namespaces = HostNetwork.namespaces();
        int removedNamespaces = 0;
        for (LabNode node : lab.namespaced()) {
            if (!namespaces.contains(node.namespace())) continue;
            stopWhatIsLeftIn(node.namespace());
            for (NftTable t : lab.nftTables()) {
                if (t.namespace().equals(node.namespace())) {
                    HostCommands.run(List.of("ip", "netns", "exec", t.namespace(), "nft", "delete", "table", t.family(), t.name()));
                }
            }
            HostCommands.require("ip", "netns", "delete", node.namespace());
            removedNamespaces++;
        }
        int removedLinks = removeLinks(lab);
        int directories = 0;
        for (String dir : lab.netnsDirs()) {
            Path path = Path.of(dir);
            if (path.getParent().equals(HostNetwork.NETNS_ETC) && path.getFileName().toString().startsWith("rl-") && Files.exists(path)) {
                LabDirectory.deleteTree(path);
                directories++;
            }
        }
        for (String dir : lab.dataDirs()) {
            Path path = Path.of(dir);
            boolean ours = path.startsWith(directory.labDir(name)) || path.equals(directory.dataDir(name))
                    || path.equals(LabDirectory.userDataDir(directory.dataDir(name))); // never another path
            if (ours && Files.exists(path)) {
                LabDirectory.deleteTree(path);
                directories++;
            }
        }
        directory.remove(name);
        return new Removal(name, true, servers, removedNamespaces, removedLinks, directories, (clock.nanoTime() - started) / 1e9);
    }

    /**
     * The kernel tears a deleted namespace down in the background, and its veth pairs with it: a
     * link can outlive {@code ip netns delete} by a moment. Down returns once none is left, so an
     * {@code up} of the same name right after finds the names free.
     */
    private int removeLinks(LabState lab) {
        List<String> ours = new ArrayList<>(lab.namespaced().stream().map(LabNode::hostLink).toList());
        ours.add(lab.bridge());
        int removed = 0;
        long deadline = clock.nanoTime() + STOP_WITHIN.toNanos();
        while (true) {
            Set<String> links = HostNetwork.links();
            List<String> left = ours.stream().filter(links::contains).toList();
            if (left.isEmpty()) return removed;
            if (clock.nanoTime() > deadline) throw new LabException("lab " + lab.name() + ": the links " + left + " are still there after 5 s");
            for (String link : left) {
                if (HostCommands.run(List.of("ip", "link", "delete", link)).ok()) removed++;
            }
            sleep(Duration.ofMillis(50));
        }
    }

    /** Removes every lab this machine describes. */
    public List<Removal> downAll() {
        Preflight.check(List.of());
        List<Removal> removed = new ArrayList<>();
        for (String name : directory.names()) removed.add(down(name));
        return removed;
    }

    private int stopServers(List<LabServer> servers) {
        List<LabServer> running = servers.stream().filter(LabServer::alive).toList();
        for (LabServer s : running) ProcessHandle.of(s.pid()).ifPresent(ProcessHandle::destroy);
        awaitGone(running);
        for (LabServer s : running) {
            if (s.alive()) ProcessHandle.of(s.pid()).ifPresent(ProcessHandle::destroyForcibly);
        }
        awaitGone(running);
        return running.size();
    }

    private void awaitGone(List<LabServer> servers) {
        long deadline = clock.nanoTime() + STOP_WITHIN.toNanos();
        while (servers.stream().anyMatch(LabServer::alive) && clock.nanoTime() < deadline) sleep(Duration.ofMillis(50));
    }

    /**
     * A process that lives in a lab's namespace was started there by racelab (the namespace is the
     * lab's own): one whose pid never reached the state file, because racelab was killed between
     * starting it and recording it. It is stopped by its pid, as the namespace lists it.
     */
    private void stopWhatIsLeftIn(String namespace) {
        String pids = HostCommands.run(List.of("ip", "netns", "pids", namespace)).output();
        for (String pid : pids.split("\\s+")) {
            if (pid.matches("\\d+")) ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
        }
        long deadline = clock.nanoTime() + STOP_WITHIN.toNanos();
        while (!HostCommands.run(List.of("ip", "netns", "pids", namespace)).output().isBlank() && clock.nanoTime() < deadline) {
            sleep(Duration.ofMillis(50));
        }
    }

    /** Every lab this machine describes. */
    public List<LabState> all() {
        Preflight.check(List.of()); // the state directory is root's own: without root every lab would look absent
        List<LabState> labs = new ArrayList<>();
        for (String name : directory.names()) directory.read(name).ifPresent(labs::add);
        return labs;
    }

    /** The store a run uses for the lab's cells, for {@code racelab run --lab NAME}: the main store's, or the --with store's when the main one holds no cells. */
    public LabRunStore runStore(String name) {
        LabState lab = ready(name);
        LabStoreKind kind = LabStoreKinds.named(lab.store());
        if (kind.holdsCells() || lab.with() == null) return kind.runStore(lab.viewFor(kind.name()));
        return LabStoreKinds.named(lab.with().store()).runStore(lab.viewFor(lab.with().store()));
    }

    /** Every store the lab runs, as a run opens it: the main store's first, then the --with store's. */
    public List<LabRunStore> runStores(String name) {
        LabState lab = ready(name);
        List<LabRunStore> stores = new ArrayList<>();
        stores.add(LabStoreKinds.named(lab.store()).runStore(lab.viewFor(lab.store())));
        if (lab.with() != null) stores.add(LabStoreKinds.named(lab.with().store()).runStore(lab.viewFor(lab.with().store())));
        return stores;
    }

    private LabState ready(String name) {
        LabState lab = find(name).orElseThrow(() -> new UsageException("no lab " + name + " on this machine (racelab lab status lists them)"));
        if (!LabState.READY.equals(lab.phase())) {
            throw new UsageException("lab " + name + " is not ready (its 'lab up' did not finish); remove it with: racelab lab down " + name);
        }
        return lab;
    }

    /** The ready lab's plain hosts with the key that logs in as root on them and the file of their host keys, for {@code run --hosts}. */
    public LabSshHosts sshHosts(String name) {
        runStore(name); // refuses a lab that is missing or not ready
        LabState lab = find(name).orElseThrow();
        Map<String, String> addresses = new java.util.LinkedHashMap<>();
        for (LabNode h : lab.hosts()) addresses.put(h.name(), h.address());
        return new LabSshHosts(name, LabSsh.clientKey(directory.labDir(name)), LabSsh.knownHosts(directory.labDir(name)), addresses);
    }

    /** The ready lab's nodes, its primary and its partitions, for a run's client hosts and nemesis. */
    public LabTopology topology(String name) {
        runStore(name); // refuses a lab that is missing or not ready
        return new LabTopology(find(name).orElseThrow(), directory);
    }

    public Optional<LabState> find(String name) {
        requireName(name);
        Preflight.check(List.of());
        return directory.read(name);
    }

    static void requireName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new UsageException("a lab's name is 1 to 20 lowercase letters, digits or dashes, starting with a letter or digit, not '"
                    + name + "'");
        }
    }

    private void sleep(Duration d) {
        try {
            clock.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted", e);
        }
    }
}
