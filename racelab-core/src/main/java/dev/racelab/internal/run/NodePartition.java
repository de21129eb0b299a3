package dev.racelab.internal.run;

import dev.racelab.internal.vocab.FaultKind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Cuts a lab's nodes into two sides (nftables tables inside the cut side's namespaces): one node
 * alone ({@code partition-one}) or the nodes split into halves ({@code partition-halves}), picked
 * by the run's seeded random. Clients on lab hosts run inside their node's namespace, so they stay
 * on their node's side.
 */
final class NodePartition implements LabFault {
    private final FaultKind kind;
    private final String tableName;

    private NodePartition(FaultKind kind, String tableName) {
        this.kind = kind;
        this.tableName = tableName;
    }

    /** A random node alone, cut off from every other. */
    static NodePartition one(String tableName) {
        return new NodePartition(FaultKind.PARTITION_ONE, tableName);
    }

    /** The nodes shuffled and split: the first half (the smaller, for an odd count) cut off from the rest. */
    static NodePartition halves(String tableName) {
        return new NodePartition(FaultKind.PARTITION_HALVES, tableName);
    }

    @Override
    public FaultKind kind() {
        return kind;
    }

    @Override
    public Begun begin(ReplicatedCluster cluster, Random random) {
        List<String> nodes = new ArrayList<>(cluster.nodes());
        Collections.shuffle(nodes, random);
        int size = kind == FaultKind.PARTITION_ONE ? 1 : nodes.size() / 2;
        List<String> side = new ArrayList<>(nodes.subList(0, size));
        side.sort(null);
        ReplicatedCluster.Partition cut = cluster.cutOff(side, tableName);
        String sides = String.join(", ", cut.side()) + " | " + String.join(", ", cut.others());
        return new Begun(sides, "cut off " + String.join(", ", cut.side()) + " from " + String.join(", ", cut.others()), cut::heal,
                "healed " + sides);
    }
}
