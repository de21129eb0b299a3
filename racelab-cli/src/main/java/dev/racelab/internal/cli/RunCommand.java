package dev.racelab.internal.cli;

import dev.racelab.internal.report.Explainer;
import dev.racelab.internal.report.ResultTable;
import dev.racelab.internal.report.RunResult;
import dev.racelab.internal.run.Coordinator;
import dev.racelab.internal.run.FaultTargets;
import dev.racelab.internal.run.Preset;
import dev.racelab.internal.run.RunSpec;
import dev.racelab.core.InvalidFieldException;
import dev.racelab.core.UsageException;
import dev.racelab.internal.registry.StoreRegistry;
import dev.racelab.internal.run.Durations;
import dev.racelab.internal.run.Fit;
import dev.racelab.internal.run.NemesisPlan;
import dev.racelab.internal.run.StoreAddresses;
import dev.racelab.internal.scenario.ScenarioOptions;
import dev.racelab.internal.strategy.StrategyOptions;
import dev.racelab.internal.scenario.Scenarios;
import dev.racelab.internal.settings.Provisioned;
import dev.racelab.internal.faults.ServerControl;
import dev.racelab.internal.settings.StoreSettings;
import dev.racelab.internal.vocab.FaultKind;
import dev.racelab.internal.vocab.StrategyId;
import dev.racelab.internal.lab.LabRunStore;
import dev.racelab.internal.lab.Labs;
import dev.racelab.core.Clock;
import dev.racelab.internal.strategy.Strategies;
import dev.racelab.internal.strategy.StrategyInfo;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "run", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Runs one scenario with one strategy on one store, from many processes, and checks the result.",
                "Every thread of every instance runs --iterations operations. Exit code: 0 PASS, 1 FAIL,"
                        + " 2 bad input or configuration, 3 the run could not finish."},
        footer = {"", "Examples:",
                "  racelab run --scenario counter --store mysql --strategy atomic --instances 20 --iterations 10000",
                "  racelab run --preset last-item --store dynamodb --strategy optimistic",
                "  racelab run --preset flash-sale --store redis --strategy atomic",
                "  racelab run --preset flash-sale --store redis --strategy decide-then-log --crash-between-steps 3",
                "  racelab run --store postgres --lease-store redis --strategy lock --instances 2 --threads 4 --iterations 500",
                "", "Presets (flags given as well override them):",
                "  last-item      100 simultaneous orders, 1 in stock: exactly 1 wins (4 instances x 25 threads)",
                "  flash-sale     10,000 buyers on virtual threads, 100 in stock: exactly 100 orders",
                "  many-accounts  1,000 deposits over 100 accounts, 100 at once: pessimistic, optimistic-3 and optimistic in turn",
                "                 (racelab run --preset many-accounts --store postgres)"})
final class RunCommand implements Callable<Integer>, OpensStores {
    @Spec
    CommandSpec spec;

    @Option(names = "--preset", paramLabel = "NAME", description = "last-item, flash-sale or many-accounts: a ready-made run shape (see below)")
    String preset;

    @Option(names = "--scenario", paramLabel = "NAME", description = "counter, order, deposit, transfer or like (default: counter, or the preset's)")
    String scenario;

    @Option(names = "--store", paramLabel = "NAME", description = "the store that keeps the cells: ${sys:racelab.stores} (default: ${DEFAULT-VALUE})")
    String store = "embedded";

    @Option(names = "--lab", paramLabel = "NAME", description = "run against the lab NAME made by 'racelab lab up': its store keeps"
            + " the cells unless --store names another (redis-sentinel: the redis store through the Sentinels' URL)")
    String lab;

    /** The lab's settings (its URL), beneath the flags given. */
    private java.util.Map<String, String> labSettings = java.util.Map.of();

    @Option(names = "--client-hosts", paramLabel = "NODE[,NODE]", split = ",", description = "with --lab: run the worker JVMs"
            + " on these lab hosts (n1, n2, ...), instance i on the i-th in turn, under 'ip netns exec'; the coordinator stays"
            + " on this machine (default: this machine)")
    List<String> clientHosts;

    /** The lab's nodes and primary, for --client-hosts and the lab's nemeses; null without --lab. */
    private dev.racelab.internal.lab.LabTopology labTopology;

    @Option(names = "--hosts", paramLabel = "USER@HOST[:PORT][=N]", split = ",", description = "run the worker JVMs on these hosts"
            + " over ssh (OpenSSH's ssh client), instance i on the i-th in turn, or N on each when given (h1=4,h2=2); each worker"
            + " speaks the same protocol over ssh's stdin and stdout, its journal stays on its host until fetched. The host needs"
            + " this JDK at the same path; racelab's jars are copied to ~/.racelab there when missing (by SHA-256). With --lab, a"
            + " lab host may be named h1 and the lab's key is the default. A host that refuses ssh stops the run before any load")
    List<String> hosts;

    @Option(names = "--ssh-key", paramLabel = "FILE", description = "with --hosts: the private key ssh logs in with"
            + " (default: the lab's with --lab, else ssh's own)")
    java.nio.file.Path sshKey;

    /** The hosts of --hosts, checked before any store is provisioned; null without it. */
    private dev.racelab.internal.run.RemoteWorkers remoteWorkers;

    @Option(names = "--lease-store", paramLabel = "NAME", description = "lock: the store that grants the leases (default: the cell"
            + " store, when it grants leases itself), e.g. --store postgres --lease-store redis; with --lab, a lease store the lab"
            + " runs is found by its name (--lease-store zookeeper: the lab's ZooKeeper ensemble)")
    String leaseStore;

    @Option(names = "--strategy", paramLabel = "NAME", description = "one of: ${sys:racelab.strategies}."
            + " Required, except with a preset that runs its own strategies (many-accounts)")
    String strategy;

    @Option(names = "--instances", paramLabel = "N", description = "worker processes (default: 1, or the preset's)")
    Integer instances;

    @Option(names = "--threads", paramLabel = "T", description = "threads per instance; virtual threads above 256 (default: 1, or the preset's)")
    Integer threads;

    @Option(names = "--iterations", paramLabel = "M", description = "operations per thread (default: 1000, or the preset's)")
    Long iterations;

    @Option(names = "--seconds", paramLabel = "S", description = "run for S seconds instead of a count: every thread invokes"
            + " operations until the deadline, and the planned count is what was invoked (excludes --iterations)")
    Long seconds;

    @Option(names = "--rows", paramLabel = "N", description = "counter scenario: spread the increments over N rows, each operation"
            + " picking one at random; every row is checked (default: 1, the hot row)")
    Integer rows;

    @Option(names = "--product", paramLabel = "ID", description = "order scenario: the catalog product (p1..p5; default p1, or the preset's)")
    String product;

    @Option(names = "--stock", paramLabel = "UNITS", description = "order scenario: the stock the run starts with (default: the catalog's, or the preset's)")
    Long stock;

    @Option(names = "--quantity", paramLabel = "UNITS", description = "order scenario: units per order (default: 1)")
    Long quantity;

    @Option(names = "--accounts", paramLabel = "N", description = "deposit, transfer: how many accounts (default: 1 for deposit, 10 for transfer)")
    Integer accounts;

    @Option(names = "--balance", paramLabel = "AMOUNT", description = "deposit, transfer: each account's starting balance, at most 2 decimals (default: 1000.00)")
    java.math.BigDecimal balance;

    @Option(names = "--amount", paramLabel = "AMOUNT", description = "deposit: each deposit; transfer: the most one transfer moves (default: 10.00)")
    java.math.BigDecimal amount;

    @Option(names = "--posts", paramLabel = "N", description = "like: how many posts (default: 1)")
    Integer posts;

    @Option(names = "--users", paramLabel = "N", description = "like: how many users like and unlike them (default: 10)")
    Integer users;

    @Option(names = "--log-store", paramLabel = "NAME", description = "decide-then-log, reserve-confirm: the SQL store that logs"
            + " orders (default: " + RunSpec.DEFAULT_LOG_STORE + ")")
    String logStore;

    @Option(names = "--order-log", paramLabel = "NAME", hidden = true, description = "deprecated: the old name of --log-store")
    String orderLog;

    @Option(names = "--crash-between-steps", paramLabel = "N", description = "decide-then-log, reserve-confirm: per instance, the first N"
            + " orders that pass the first step die before the second, as a crashed client would (default: 0)")
    int crashes;

    @Option(names = "--slots", paramLabel = "S", description = "sharded: the slot rows each cell is spread over, 1 to "
            + StrategyOptions.MAX_SLOTS + " (default: " + StrategyOptions.DEFAULT_SLOTS + ")")
    Integer slots;

    @Option(names = "--think-ms", paramLabel = "MS", description = "pause between read and write, to widen the race (default: ${DEFAULT-VALUE})")
    long thinkMs = 0;

    @Option(names = "--read-barrier", paramLabel = "N", description = "hold each read until N of an instance's threads have read,"
            + " so they all write what they read from one value: a strategy that does not keep the others out then loses for"
            + " certain. A round that does not fill goes on after 200 ms; after 3 readers waited alone (the strategy keeps the"
            + " others out) the instance holds no one (default: off)")
    int readBarrier;

    @Option(names = "--warmup", paramLabel = "SECONDS", description = "each instance first runs the same load this long against"
            + " scratch cells, unmeasured, so the JIT's warm-up is not in the figures (default: ${DEFAULT-VALUE})")
    long warmupSeconds = 0;

    @Option(names = "--nemesis", paramLabel = "FAULT[,FAULT]", description = "faults to inject while the load runs:"
            + " kill-worker (kill -9 a worker at the moment the store has applied one of its operations, then start a replacement"
            + " that runs the rest of its operations), pause-holder (SIGSTOP a worker while it holds a lease, for --nemesis-for,"
            + " then SIGCONT), restart-store and pause-store (stop and start, or SIGSTOP for --nemesis-for and SIGCONT, the cell"
            + " store's server: one racelab started, or this machine's loopback PostgreSQL, MariaDB or ZooKeeper that"
            + " bin/start-services starts), restart-lease-store and pause-lease-store (the same for the lease store's server,"
            + " while a worker holds a lease), partition-primary (with --lab: cut the primary the Sentinels name, with the"
            + " --client-hosts, off from the other nodes for --nemesis-for, by nftables rules inside the lab's namespaces,"
            + " record the promotion that follows, then heal); with --lab, each for --nemesis-for: partition-halves (the nodes"
            + " split into two halves), partition-one (a random node alone), pause-node (SIGSTOP of a random node's servers),"
            + " restart-node (a random node's servers stopped, then started again until it rejoined), kill-primary (kill -9 the"
            + " primary's server by its pid, record the promotion, and wait until the server is back as a replica),"
            + " partition-holder (with --client-hosts: at a moment a worker holds a lease, cut its lab host off from the lab's"
            + " lease store nodes, not from the cell store, then send it on to its write and heal), partition-host (with"
            + " --hosts on the lab's plain hosts: one of them cut off from the coordinator and every node)")
    String nemesis;

    @Option(names = "--nemesis-every", paramLabel = "DURATION", description = "time from one fault's end to the next one's start:"
            + " 500ms, 5s, 2m; a bare number is seconds (default: 5s)")
    String nemesisEvery;

    @Option(names = "--nemesis-after", paramLabel = "DURATION", description = "when the first fault comes after the load starts"
            + " (default: --nemesis-every; 1s when every fault is a lab's, whose load often ends within one period, and a lab's"
            + " fault, once begun, lasts its whole --nemesis-for)")
    String nemesisAfter;

    @Option(names = "--nemesis-for", paramLabel = "DURATION", description = "how long a pause or a partition lasts (default: 13s)")
    String nemesisFor;

    @Option(names = "--lease-ttl", paramLabel = "DURATION", description = "lock, lock-fenced: how long a lease outlives a holder"
            + " that stops renewing it: Redis's PX, ZooKeeper's session timeout, Redisson's watchdog timeout (default: 10s)")
    String leaseTtl;

    @Option(names = "--keep-history", paramLabel = "DIR", description = "keep the workers' journals (every operation, as recorded)"
            + " in DIR/run-ID after the check; by default they are deleted once the run is checked")
    java.nio.file.Path keepHistory;

    @Mixin
    JsonFileOption json = new JsonFileOption();

    @Mixin
    CsvFileOption csv = new CsvFileOption();

    @Mixin
    ReportFileOption report = new ReportFileOption();

    @Mixin
    RetryOptions retry;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (orderLog != null && logStore == null) logStore = orderLog;
        if (lab == null && clientHosts != null) {
            throw new UsageException("--client-hosts needs --lab: the hosts are a lab's (racelab lab up NAME --store redis-sentinel)");
        }
        FaultKind labFault = NemesisPlan.parse(nemesis).stream().filter(FaultKind::inLab).findFirst().orElse(null);
        if (lab == null && labFault != null) {
            throw new UsageException("--nemesis " + labFault.flagName() + " needs --lab: it acts on a lab's nodes"
                    + " (racelab lab up NAME --store KIND, then racelab run --lab NAME)");
        }
        if (lab != null) {
            labTopology = new Labs(Clock.SYSTEM, line -> { }).topology(lab);
            if (clientHosts != null) LabCluster.clientHosts(labTopology, clientHosts);
            if (NemesisPlan.parse(nemesis).contains(FaultKind.PARTITION_PRIMARY) && !labTopology.hasElectedPrimary()) {
                throw new UsageException("--nemesis partition-primary needs a lab whose store elects a primary (redis-sentinel)");
            }
            if (NemesisPlan.parse(nemesis).contains(FaultKind.KILL_PRIMARY) && !(labTopology.hasElectedPrimary() && labTopology.canKillServer())) {
                throw new UsageException("--nemesis kill-primary needs a lab whose store elects a primary and whose server racelab can kill"
                        + " (postgres-patroni, mariadb-galera)");
            }
            if (NemesisPlan.parse(nemesis).contains(FaultKind.PARTITION_HOLDER) && clientHosts == null) {
                throw new UsageException("--nemesis partition-holder needs --client-hosts: it cuts the lab host a holding worker runs on");
            }
            Labs labs = new Labs(Clock.SYSTEM, line -> { });
            LabRunStore labStore = labs.runStore(lab);
            if (!spec.commandLine().getParseResult().hasMatchedOption("--store")) store = labStore.store();
            // the lab's URLs for the stores the run opens: its cell store's, and a lease store's it runs (--lease-store KIND)
            java.util.Map<String, String> fromLab = new java.util.HashMap<>();
            for (LabRunStore s : labs.runStores(lab)) if (s.store().equals(store) || s.store().equals(leaseStore)) fromLab.putAll(s.settings());
            labSettings = fromLab;
        }
        List<RunSpec> runs;
        try {
            runs = new ArrayList<>();
            for (String name : strategies()) runs.add(spec(name));
        } catch (InvalidFieldException e) {
            if (orderLog == null || !e.field().equals("logStore")) throw e;
            throw new UsageException(e.render(field -> field.equals("logStore") ? "--order-log" : FlagNames.of(field))
                    + " (--order-log is deprecated; use --log-store)", e);
        }
        if (orderLog != null) {
            err.println("racelab: --order-log is deprecated; use --log-store");
            err.flush();
        }
        Preset p = preset();
        if (p != null && p.isFormerName(preset)) {
            err.println("racelab: preset " + preset + " is now called " + p.id());
            err.flush();
        }
        if (hosts == null && NemesisPlan.parse(nemesis).contains(FaultKind.PARTITION_HOST)) {
            throw new UsageException("--nemesis partition-host needs --hosts: it cuts off a lab host that runs workers over ssh"
                    + " (racelab lab up NAME --store KIND --ssh-hosts 3, then racelab run --lab NAME --hosts h1,h2,h3)");
        }
        if (hosts != null) {
            if (clientHosts != null) throw new UsageException("--hosts and --client-hosts both place the workers; give one");
            remoteWorkers = RemoteHostsFlags.of(hosts, sshKey, lab, json.file, err);
            remoteWorkers.prepare(runs.get(0).instances()); // a host that refuses ssh stops the run here, before anything starts
        } else if (sshKey != null) {
            throw new UsageException("--ssh-key needs --hosts");
        }
        return runAll(runs, out, err);
    }

    private int runAll(List<RunSpec> runs, PrintWriter out, PrintWriter err) throws Exception {
        json.checkWritable();
        csv.checkWritable();
        report.checkWritable();
        StoreSettings settings = StoreFlags.settings(spec, labSettings);
        List<RunResult> results = new ArrayList<>();
        StoreRegistry registry = StoreRegistry.current();
        String logName = runs.get(0).logStore();
        try (Provisioned cells = registry.provision(store, settings);
             Provisioned leases = provisionBeside(registry, leaseStore, cells, settings);
             Provisioned log = provisionBeside(registry, logName, cells, settings)) {
            StoreAddresses addresses = new StoreAddresses(cells.address(), leases == null ? null : leases.address(),
                    log == null ? null : log.address());
            Coordinator coordinator = new Coordinator(err, labTopology == null || clientHosts == null
                    ? dev.racelab.internal.run.ClientHosts.HERE : LabCluster.clientHosts(labTopology, clientHosts), remoteWorkers,
                    keepHistory);
            ServerControl cellServer = registry.control(store, cells).orElse(null);
            ServerControl leaseServer = leases == null ? null
                    : leases.address().name().equals(store) ? cellServer : registry.control(leaseStore, leases).orElse(null);
            FaultTargets servers = new FaultTargets(cellServer, leaseServer, labTopology == null ? null : new LabCluster(labTopology, leaseStore));
            for (RunSpec run : runs) results.add(coordinator.run(run, addresses, servers));
        }
        csv.write(dev.racelab.internal.report.ResultCsv.render(results));
        report.write(dev.racelab.internal.report.HtmlReport.render(results,
                json.nameOr("run"), "racelab run: " + runs.get(0).label()));
        json.write(results.size() == 1 ? results.get(0) : results);
        out.print(ResultTable.render(results));
        out.println();
        for (RunResult result : results) {
            RunSpec run = runs.get(results.indexOf(result));
            out.println((results.size() > 1 ? "- " : "") + Explainer.sentence(result, run.strategyInfo(), run.scenarioModel(), null));
            if (!result.firstError().isEmpty()) {
                out.println("  errors: " + result.errors() + "; the first: " + result.firstError());
            }
        }
        out.flush();
        return results.stream().allMatch(RunResult::passed) ? ExitCode.PASS : ExitCode.FAIL;
    }

    /**
     * A second role's store: none when not named, the cell store's own address when it is the
     * same store (one embedded server, not two), else its own. The caller closes it.
     */
    private static Provisioned provisionBeside(StoreRegistry registry, String name, Provisioned cells, StoreSettings settings) {
        if (name == null) return null;
        if (name.equals(cells.address().name())) return Provisioned.at(cells.address());
        return registry.provision(name, settings);
    }

    /** --strategy, or the preset's list with each "a|b" choice resolved for the store. */
    private List<String> strategies() {
        if (strategy != null) return List.of(strategy);
        Preset p = preset == null ? null : Preset.byId(preset);
        if (p == null || p.strategies().isEmpty()) {
            throw new UsageException("--strategy is required" + (p == null ? "" : " with preset " + p.id())
                    + "; choose one of: " + String.join(", ", Strategies.names()));
        }
        StoreRegistry.current().provider(store);
        List<String> chosen = new ArrayList<>();
        for (List<StrategyId> choices : p.strategies()) {
            chosen.add(choices.stream().map(StrategyId::flagName)
                    .filter(this::fits).findFirst()
                    .orElseThrow(() -> new UsageException("store '" + store + "' can run none of " + String.join("|", choices.stream().map(StrategyId::flagName).toList())
                            + " for preset " + p.id())));
        }
        return chosen;
    }

    private boolean fits(String strategyName) {
        StrategyInfo info = Strategies.get(strategyName);
        String log = logStore != null || !info.needsLogStore() ? logStore : RunSpec.DEFAULT_LOG_STORE;
        return Fit.of(info, Scenarios.create(scenarioName(), scenarioOptions()), store, leaseStore, log).fits();
    }

    /** Flags over the preset over the defaults; a timed run when --seconds is given. */
    private RunSpec spec(String strategy) {
        if (seconds != null && iterations != null) throw new UsageException("--seconds and --iterations exclude each other; give one");
        if (seconds != null && seconds < 1) throw new UsageException("--seconds must be at least 1, was " + seconds);
        RunSpec counted = countedSpec(strategy);
        return seconds == null ? counted : counted.timed(Duration.ofSeconds(seconds));
    }

    private RunSpec countedSpec(String strategy) {
        Preset p = preset();
        return RunSpec.builder().scenario(scenarioName()).store(store).strategy(strategy)
                .instances(or(instances, p == null ? null : p.instances(), 1))
                .threads(or(threads, p == null ? null : p.threads(), 1))
                .iterations(or(iterations, p == null ? null : p.iterations(), 1000L))
                .think(Duration.ofMillis(thinkMs)).retry(retry.policy())
                .options(scenarioOptions()).leaseStore(leaseStore).logStore(logStore)
                .crashes(crashes).warmup(Duration.ofSeconds(warmupSeconds))
                .nemesis(nemesisPlan())
                .leaseTtl(leaseTtl == null ? null : Durations.parse("leaseTtl", leaseTtl))
                .strategyOptions(slots == null ? null : new StrategyOptions(slots))
                .readBarrier(readBarrier).build();
    }

    private NemesisPlan nemesisPlan() {
        if (nemesis == null && (nemesisEvery != null || nemesisFor != null || nemesisAfter != null)) {
            throw new UsageException("--nemesis-every, --nemesis-for and --nemesis-after need --nemesis");
        }
        return new NemesisPlan(NemesisPlan.parse(nemesis),
                nemesisEvery == null ? null : Durations.parse("nemesisEvery", nemesisEvery),
                nemesisFor == null ? null : Durations.parse("nemesisFor", nemesisFor),
                nemesisAfter == null ? null : Durations.parse("nemesisAfter", nemesisAfter));
    }

    private Preset preset() {
        return preset == null ? null : Preset.byId(preset);
    }

    private String scenarioName() {
        Preset p = preset();
        return or(scenario, p == null ? null : p.scenario(), "counter");
    }

    private ScenarioOptions scenarioOptions() {
        Preset p = preset();
        return new ScenarioOptions(or(product, p == null ? null : p.product(), "p1"),
                stock != null ? stock : p == null ? null : p.stockOrNull(),
                or(quantity, p == null ? null : p.quantity(), 1L),
                or(accounts, p == null ? null : p.accounts(), Scenarios.defaultAccounts(scenarioName())),
                money("--balance", balance, ScenarioOptions.DEFAULT_BALANCE, true),
                money("--amount", amount, ScenarioOptions.DEFAULT_AMOUNT, false),
                or(posts, 1), or(users, 10), or(rows, 1));
    }

    /** A decimal flag in minor units; the balance may be zero, an amount may not. */
    private static long money(String flag, java.math.BigDecimal value, long fallback, boolean zeroAllowed) {
        if (value == null) return fallback;
        if (zeroAllowed && value.signum() == 0) return 0;
        try {
            return dev.racelab.core.Money.parsePositive(value);
        } catch (IllegalArgumentException e) {
            throw new dev.racelab.core.UsageException(flag + ": " + e.getMessage());
        }
    }

    private static <T> T or(T flag, T fallback) {
        return flag != null ? flag : fallback;
    }

    private static <T> T or(T flag, T preset, T fallback) {
        return flag != null ? flag : preset != null ? preset : fallback;
    }
}
