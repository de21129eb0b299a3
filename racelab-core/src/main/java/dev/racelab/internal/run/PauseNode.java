package dev.racelab.internal.run;

import dev.racelab.internal.vocab.FaultKind;
import java.util.Random;

/**
 * SIGSTOP of every server racelab started on a random node (by the pids the lab recorded, after
 * checking /proc shows the same processes), SIGCONT at the end. Should racelab itself stop
 * meanwhile, a shutdown hook continues them.
 */
final class PauseNode implements LabFault {
    @Override
    public FaultKind kind() {
        return FaultKind.PAUSE_NODE;
    }

    @Override
    public Begun begin(ReplicatedCluster cluster, Random random) {
        String node = cluster.nodes().get(random.nextInt(cluster.nodes().size()));
        String servers = cluster.serversOn(node);
        Runnable resume = cluster.pauseNode(node);
        Thread onExit = new Thread(resume, "racelab-resume-paused-node");
        Runtime.getRuntime().addShutdownHook(onExit);
        Runnable undo = () -> {
            try {
                resume.run();
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(onExit);
                } catch (IllegalStateException shuttingDown) {
                    // the hook runs anyway
                }
            }
        };
        return new Begun(node + " (" + servers + ")", "SIGSTOP " + node + " (" + servers + ")", undo, "SIGCONT " + node);
    }
}
