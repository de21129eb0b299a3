package dev.racelab.internal.run;

import dev.racelab.internal.vocab.FaultKind;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * {@code partition-host}: one host that runs workers over ssh, picked by the run's seeded random
 * among the hosts of the workers running now, cut off from the coordinator and every node of the
 * lab. Its ssh channels stall (TCP waits), its workers keep recording to their journals there,
 * and both resume at the heal; the journals are fetched at the end, as always.
 */
final class HostPartition implements LabFault {
    private final String tableName;
    private final Supplier<List<WorkerProcess>> running;

    HostPartition(String tableName, Supplier<List<WorkerProcess>> running) {
        this.tableName = tableName;
        this.running = running;
    }

    @Override
    public FaultKind kind() {
        return FaultKind.PARTITION_HOST;
    }

    @Override
    public Begun begin(ReplicatedCluster cluster, Random random) {
        List<String> addresses = new TreeSet<>(running.get().stream().filter(w -> w.host != null).map(w -> w.host.host()).toList())
                .stream().toList();
        if (addresses.isEmpty()) throw new IllegalStateException("no worker runs on a host over ssh now (partition-host needs --hosts)");
        String address = addresses.get(random.nextInt(addresses.size()));
        List<String> workers = running.get().stream().filter(w -> w.host != null && w.host.host().equals(address)).map(w -> "worker " + w.instance)
                .toList();
        ReplicatedCluster.Partition cut = cluster.isolateHost(address, tableName);
        String host = String.join(", ", cut.side());
        String sides = host + " (" + address + ", " + String.join(", ", workers) + ") | " + String.join(", ", cut.others());
        return new Begun(sides, "cut off host " + host + " (" + address + ", running " + String.join(", ", workers) + ") from "
                + String.join(", ", cut.others()), cut::heal, "healed host " + host);
    }
}
