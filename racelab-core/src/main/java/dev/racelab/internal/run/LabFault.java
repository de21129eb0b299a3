package dev.racelab.internal.run;

import dev.racelab.internal.vocab.FaultKind;
import java.util.Random;

/**
 * A fault on a lab's nodes that, once begun, lasts its whole {@code --nemesis-for} and is then
 * undone: the nemesis begins it, waits, and undoes it, never half way (see {@code Nemesis#labFault}).
 */
interface LabFault {
    FaultKind kind();

    /** Injects the fault; {@code random} (seeded by the run) picks the node(s) it aims at. */
    Begun begin(ReplicatedCluster cluster, Random random);

    /**
     * A fault in place.
     *
     * @param target what it acts on, as recorded in {@code faults}: the nodes on each side, "n2 | n1, n3"
     * @param begun what the progress line says it did ("cut off n2 from n1, n3")
     * @param undo undoes it (heals, continues, starts again)
     * @param undone what the progress line says once undone ("healed")
     */
    record Begun(String target, String begun, Runnable undo, String undone) {
    }
}
