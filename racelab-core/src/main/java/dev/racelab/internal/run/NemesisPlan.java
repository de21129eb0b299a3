package dev.racelab.internal.run;

import dev.racelab.core.InvalidFieldException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Which faults the nemesis injects during a run, when the first one comes, how often the next
 * ones do, and how long a pause or a partition lasts. Validated when built.
 *
 * @param first when the first fault comes after the load starts; by default one {@code every},
 *     and {@link #LAB_FIRST} when every fault is a lab's: a lab's load, at the lab's speed, often
 *     ends its iterations within one period, and a partition that comes after the load shows nothing
 */
public record NemesisPlan(List<Kind> faults, Duration every, Duration length, Duration first) {
    /** A fault the nemesis can inject. */
    public enum Kind {
        /**
         * SIGKILL of a worker at the moment the store has applied one of its operations and the
         * client has not yet recorded the answer (the worker says "holding" there first), then a
         * replacement that runs the dead worker's remaining operations.
         */
        KILL_WORKER("kill-worker"),
        /**
         * SIGSTOP of a worker at the moment one of its operations holds a lease, between its read
         * and its write (the worker says "holding" there first), for {@code --nemesis-for}, then
         * SIGCONT, and the operation goes on to its write. Longer than the lease's TTL, the lease
         * has passed to another holder by then. With a strategy that takes no leases, the worker is
         * paused wherever it is, and named as holding none.
         */
        PAUSE_HOLDER("pause-holder"),
        /**
         * Stops the cell store's server and starts it again: a server racelab started itself, or
         * this machine's loopback server that bin/start-services starts, by the same commands.
         */
        RESTART_STORE("restart-store"),
        /**
         * SIGSTOPs every process of the cell store's server for {@code --nemesis-for}, then
         * SIGCONT: the clients' requests hang, none is refused.
         */
        PAUSE_STORE("pause-store"),
        /**
         * SIGSTOPs the lease store's server at a moment a worker holds a lease between its read
         * and its write, sends that worker on to its write, and continues the server after
         * {@code --nemesis-for}: no lease can be renewed, granted or released meanwhile.
         */
        PAUSE_LEASE_STORE("pause-lease-store"),
        /**
         * Stops the lease store's server at a moment a worker holds a lease between its read and
         * its write, sends that worker on to its write, and starts the server again.
         */
        RESTART_LEASE_STORE("restart-lease-store"),
        /**
         * In a lab: asks the Sentinels which node is primary, then cuts that node, with the run's
         * client hosts, off from every other node (nftables tables inside the cut side's network
         * namespaces, named after the run) for {@code --nemesis-for}, watching the other side's
         * Sentinels for a promotion, then deletes the tables. The promotion is recorded as a
         * fault of kind {@code failover}.
         */
        PARTITION_PRIMARY(dev.racelab.internal.report.RunResult.Fault.PARTITION_PRIMARY, true),
        /** In a lab: the nodes, shuffled by the run's seed, split into two halves (the smaller cut off) for {@code --nemesis-for}. */
        PARTITION_HALVES("partition-halves", true),
        /** In a lab: one node, picked by the run's seed, cut off from every other for {@code --nemesis-for}. */
        PARTITION_ONE("partition-one", true),
        /** In a lab: SIGSTOP of one node's servers (by their recorded pids) for {@code --nemesis-for}, then SIGCONT. */
        PAUSE_NODE("pause-node", true),
        /** In a lab: one node's servers stopped by their pids for {@code --nemesis-for}, then started as the lab started them, until it rejoined. */
        RESTART_NODE("restart-node", true),
        /**
         * In a lab: kill -9 of the primary's store server (for Patroni, the PostgreSQL whose
         * postmaster.pid names it, and its children), by pid, watching the electors for a
         * promotion for {@code --nemesis-for}, then waiting until the killed server runs again
         * and follows the new primary. See {@link KillPrimary}.
         */
        KILL_PRIMARY(dev.racelab.internal.report.RunResult.Fault.KILL_PRIMARY, true),
        /**
         * In a lab: at a moment a worker holds a lease between its read and its write, cuts that
         * worker's lab host (its --client-hosts node) off from the lease store's other nodes, not
         * from the cell store's, for {@code --nemesis-for}, keeping the holder at its hold, then
         * sends it on to its write and heals. The lease expires on the majority's side meanwhile.
         */
        PARTITION_HOLDER(PartitionHolder.KIND, true),
        /**
         * In a lab, with workers on its plain hosts over ssh ({@code --hosts}): one of those hosts, picked by the run's seed,
         * cut off from the coordinator and every node (nftables inside its namespace) for {@code --nemesis-for}. Its workers
         * go on recording to their journals on the host, which are read once it is reachable again.
         */
        PARTITION_HOST("partition-host", true);

        private final String flag;
        private final boolean inLab;

        Kind(String flag) {
            this(flag, false);
        }

        Kind(String flag, boolean inLab) {
            this.flag = flag;
            this.inLab = inLab;
        }

        public String flagName() {
            return flag;
        }

        /**
         * Whether it acts on a lab's nodes (it needs {@code --lab}). Once injected, such a fault
         * lasts its whole {@code --nemesis-for} even when the load ends first: what a partition does
         * to acknowledged writes shows only at the failover and the heal.
         */
        public boolean inLab() {
            return inLab;
        }

        static Kind named(String name) {
            return Arrays.stream(values()).filter(k -> k.flag.equals(name)).findFirst()
                    .orElseThrow(() -> InvalidFieldException.about("nemesis", "unknown fault '" + name + "' for {field}; racelab"
                            + " injects: " + String.join(", ", Arrays.stream(values()).map(Kind::flagName).toList())));
        }
    }

    public static final Duration DEFAULT_EVERY = Duration.ofSeconds(5);
    public static final Duration DEFAULT_LENGTH = Duration.ofSeconds(13);
    /** The first of a lab's faults comes once the load has run this long, unless told otherwise. */
    public static final Duration LAB_FIRST = Duration.ofSeconds(1);
    /** A run's faults are bounded in number as well as by the run's length. */
    public static final int MAX_FAULTS = 100;
    public static final NemesisPlan NONE = new NemesisPlan(List.of(), DEFAULT_EVERY, DEFAULT_LENGTH);

    public NemesisPlan {
        faults = List.copyOf(faults);
        if (every == null) every = DEFAULT_EVERY;
        if (length == null) length = DEFAULT_LENGTH;
        if (first == null) first = !faults.isEmpty() && faults.stream().allMatch(Kind::inLab) ? LAB_FIRST : every;
        if (first.isNegative() || first.compareTo(Duration.ofHours(1)) > 0) {
            throw InvalidFieldException.must("nemesisAfter", "must be between 0 and 1h, was " + first.toMillis() + "ms");
        }
        if (every.compareTo(Duration.ofMillis(100)) < 0 || every.compareTo(Duration.ofHours(1)) > 0) {
            throw InvalidFieldException.must("nemesisEvery", "must be between 100ms and 1h, was " + every.toMillis() + "ms");
        }
        if (length.isNegative() || length.compareTo(Duration.ofMinutes(10)) > 0) {
            throw InvalidFieldException.must("nemesisFor", "must be between 0 and 10m, was " + length.toMillis() + "ms");
        }
    }

    /** The first fault one {@code every} after the load starts (or {@link #LAB_FIRST} for a lab's faults). */
    public NemesisPlan(List<Kind> faults, Duration every, Duration length) {
        this(faults, every, length, null);
    }

    /** "kill-worker,kill-worker" as given to --nemesis. */
    public static List<Kind> parse(String names) {
        List<Kind> kinds = new ArrayList<>();
        if (names == null || names.isBlank()) return kinds;
        for (String name : names.split(",")) kinds.add(Kind.named(name.trim().toLowerCase(Locale.ROOT)));
        return kinds;
    }

    public boolean active() {
        return !faults.isEmpty();
    }

    /** Whether any of its faults acts on a lab's nodes. */
    public boolean needsLab() {
        return faults.stream().anyMatch(Kind::inLab);
    }

    public boolean has(Kind kind) {
        return faults.contains(kind);
    }
}
