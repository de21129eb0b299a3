package dev.racelab.internal.lab;

import dev.racelab.core.UsageException;
import java.util.List;
import java.util.stream.Collectors;

/** The store kinds a lab can run. */
final class LabStoreKinds {
    static final List<LabStoreKind> ALL = List.of(new RedisSentinelLab(), new EtcdLab(), new PatroniLab(), new GaleraLab(),
            new ZooKeeperEnsembleLab(), new PostgresLab());

    private LabStoreKinds() {
    }

    static LabStoreKind named(String name) {
        return ALL.stream().filter(k -> k.name().equals(name)).findFirst().orElseThrow(() -> new UsageException(
                "no lab store kind '" + name + "'; there is: " + ALL.stream().map(LabStoreKind::name).collect(Collectors.joining(", "))));
    }
}
