package dev.racelab.internal.os;

import java.util.ArrayList;
import java.util.List;

/**
 * What a server control's pause stopped (a process and its descendants, by pid), so that the
 * resume continues exactly those: one per control.
 */
public final class PausedTree {
    private final List<Long> stopped = new ArrayList<>();

    /**
     * SIGSTOPs the process and every descendant; see {@link Signals#stopTree}. Each pid is
     * recorded before it is signalled, so a stop that fails or is interrupted half way leaves
     * {@link #resume} every process it may have stopped.
     */
    public synchronized void stop(long pid) {
        Signals.stopTree(pid, stopped::add);
    }

    /** SIGCONTs what {@link #stop} stopped; nothing when nothing is stopped. */
    public synchronized void resume() {
        Signals.send("CONT", List.copyOf(stopped));
        stopped.clear();
    }
}
