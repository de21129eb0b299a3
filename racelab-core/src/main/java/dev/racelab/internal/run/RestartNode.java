package dev.racelab.internal.run;

import dev.racelab.internal.vocab.FaultKind;
import java.util.Random;

/**
 * Stops a random node's servers by their recorded pids (SIGTERM, a clean shutdown), keeps it down
 * for {@code --nemesis-for}, then starts them again as the lab started them and waits until the
 * node has rejoined the cluster.
 */
final class RestartNode implements LabFault {
    @Override
    public FaultKind kind() {
        return FaultKind.RESTART_NODE;
    }

    @Override
    public Begun begin(ReplicatedCluster cluster, Random random) {
        String node = cluster.nodes().get(random.nextInt(cluster.nodes().size()));
        String servers = cluster.serversOn(node);
        Runnable start = cluster.stopNode(node);
        return new Begun(node + " (" + servers + ")", "stopped " + node + " (" + servers + ")", start, node + " started again and rejoined");
    }
}
