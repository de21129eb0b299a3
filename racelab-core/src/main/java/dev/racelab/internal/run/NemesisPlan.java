package dev.racelab.internal.run;

import dev.racelab.core.InvalidFieldException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Which faults the nemesis injects during a run, how often, and how long a pause lasts. The
 * first fault comes one {@code every} after the load starts. Validated when built.
 */
public record NemesisPlan(List<Kind> faults, Duration every, Duration length) {
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
        PARTITION_PRIMARY(dev.racelab.internal.report.RunResult.Fault.PARTITION_PRIMARY);

        private final String flag;

        Kind(String flag) {
            this.flag = flag;
        }

        public String flagName() {
            return flag;
        }

        static Kind named(String name) {
            return Arrays.stream(values()).filter(k -> k.flag.equals(name)).findFirst()
                    .orElseThrow(() -> InvalidFieldException.about("nemesis", "unknown fault '" + name + "' for {field}; racelab"
                            + " injects: " + String.join(", ", Arrays.stream(values()).map(Kind::flagName).toList())));
        }
    }

    public static final Duration DEFAULT_EVERY = Duration.ofSeconds(5);
    public static final Duration DEFAULT_LENGTH = Duration.ofSeconds(13);
    /** A run's faults are bounded in number as well as by the run's length. */
    public static final int MAX_FAULTS = 100;
    public static final NemesisPlan NONE = new NemesisPlan(List.of(), DEFAULT_EVERY, DEFAULT_LENGTH);

    public NemesisPlan {
        faults = List.copyOf(faults);
        if (every == null) every = DEFAULT_EVERY;
        if (length == null) length = DEFAULT_LENGTH;
        if (every.compareTo(Duration.ofMillis(100)) < 0 || every.compareTo(Duration.ofHours(1)) > 0) {
            throw InvalidFieldException.must("nemesisEvery", "must be between 100ms and 1h, was " + every.toMillis() + "ms");
        }
        if (length.isNegative() || length.compareTo(Duration.ofMinutes(10)) > 0) {
            throw InvalidFieldException.must("nemesisFor", "must be between 0 and 10m, was " + length.toMillis() + "ms");
        }
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

    public boolean has(Kind kind) {
        return faults.contains(kind);
    }
}
