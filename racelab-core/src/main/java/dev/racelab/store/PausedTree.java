package dev.racelab.store;

import java.util.List;

/**
 * What a server control's pause stopped (a process and its descendants, by pid), so that the
 * resume continues exactly those: one per control.
 */
public final class PausedTree {
    private List<Long> stopped = List.of();

    /** SIGSTOPs the process and every descendant; see {@link Signals#stopTree}. */
    public synchronized void stop(long pid) {
        stopped = Signals.stopTree(pid);
    }

    /** SIGCONTs what {@link #stop} stopped; nothing when nothing is stopped. */
    public synchronized void resume() {
        Signals.send("CONT", stopped);
        stopped = List.of();
    }
}
