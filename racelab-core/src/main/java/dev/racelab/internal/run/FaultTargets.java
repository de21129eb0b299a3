package dev.racelab.internal.run;

import dev.racelab.core.InvalidFieldException;
import dev.racelab.internal.faults.ServerControl;
import dev.racelab.internal.vocab.FaultKind;
import java.util.Optional;

/**
 * The servers the nemesis may act on: the cell store's and the lease store's, each present only
 * when it is one racelab started itself or this machine's loopback server that bin/start-services
 * starts (the providers decide, see {@code StoreProvider#control}). When the leases come from
 * the cell store itself, both are the same server.
 */
public record FaultTargets(ServerControl cells, ServerControl leases, ReplicatedCluster cluster) {
    public static final FaultTargets NONE = new FaultTargets(null, null);

    public FaultTargets(ServerControl cells, ServerControl leases) {
        this(cells, leases, null);
    }

    public static FaultTargets cellsOnly(ServerControl cells) {
        return new FaultTargets(cells, null);
    }

    /** Refuses, before anything runs, a plan that names a server racelab may not touch or cannot pause. */
    void check(RunSpec spec, StoreAddresses given) {
        NemesisPlan plan = spec.nemesis();
        boolean leaseFault = plan.has(FaultKind.PAUSE_LEASE_STORE) || plan.has(FaultKind.RESTART_LEASE_STORE);
        if (leaseFault && !spec.strategyInfo().needsLeases()) {
            throw InvalidFieldException.about("nemesis", "{field} pause-lease-store and restart-lease-store need a strategy"
                    + " that takes leases (lock, lock-fenced); " + spec.strategy() + " takes none");
        }
        if (plan.has(FaultKind.PARTITION_PRIMARY) && cluster == null) {
            throw InvalidFieldException.about("nemesis", "{field} partition-primary needs a lab whose store elects a primary:"
                    + " racelab lab up NAME --store redis-sentinel, then racelab run --lab NAME");
        }
        if (plan.has(FaultKind.KILL_PRIMARY) && cluster == null) {
            throw InvalidFieldException.about("nemesis", "{field} kill-primary needs a lab whose store elects a primary:"
                    + " racelab lab up NAME --store postgres-patroni, then racelab run --lab NAME");
        }
        if (plan.has(FaultKind.PARTITION_HOLDER) && (!spec.strategyInfo().needsLeases() || cluster == null
                || cluster.leaseNodes().isEmpty())) {
            throw InvalidFieldException.about("nemesis", "{field} partition-holder needs a strategy that takes leases (lock,"
                    + " lock-fenced) from a lease store the lab runs: racelab lab up NAME --store zookeeper-ensemble --with postgres,"
                    + " then racelab run --lab NAME --lease-store zookeeper --client-hosts n1,n2");
        }
        String cellsAt = "store '" + spec.store() + "' at " + given.cells().url();
        String leasesAt = spec.leaseStore() == null ? cellsAt
                : "lease store '" + spec.leaseStore() + "' at " + (given.leases() == null ? "?" : given.leases().url());
        if (plan.has(FaultKind.RESTART_STORE)) require(cells, cellsAt);
        if (plan.has(FaultKind.PAUSE_STORE)) requirePause(require(cells, cellsAt));
        if (plan.has(FaultKind.RESTART_LEASE_STORE)) require(leaseServer(spec), leasesAt);
        if (plan.has(FaultKind.PAUSE_LEASE_STORE)) requirePause(require(leaseServer(spec), leasesAt));
    }

    /** The server that grants the leases: the lease store's, or the cell store's when it grants them. */
    ServerControl leaseServer(RunSpec spec) {
        return spec.leaseStore() == null ? cells : leases;
    }

    private static ServerControl require(ServerControl server, String which) {
        if (server != null) return server;
        throw InvalidFieldException.about("nemesis", "{field} acts only on a server racelab started itself (redis-embedded,"
                + " the in-process zookeeper) or on this machine's loopback server that bin/start-services starts (postgres on"
                + " 127.0.0.1:5432, mysql on 127.0.0.1:3306, zookeeper on 127.0.0.1:2181); " + which + " is neither");
    }

    private static void requirePause(ServerControl server) {
        Optional<String> why = server.whyItCannotPause();
        if (why.isPresent()) throw InvalidFieldException.about("nemesis", "{field} cannot pause " + why.get());
    }
}
