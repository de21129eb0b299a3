package dev.racelab.internal.faults;

import java.util.Optional;

/**
 * A store's server that racelab may stop and start, or pause and continue, for the nemesis:
 * one racelab started itself, or one on loopback that bin/start-services knows how to start,
 * by the same commands. Never anything else: a provider offers a control only for such a server.
 */
public interface ServerControl {
    /** Which server, how it is reached and controlled: for the fault's record. */
    String describe();

    /** Stops the server; returns once it no longer answers. */
    void stopServer();

    /** Starts it again; returns once it answers. */
    void startServer();

    /**
     * Why this server cannot be paused, or empty when {@link #pauseServer} can stop every
     * process it runs (a server that forks, as PostgreSQL does, is paused whole or not at all).
     */
    default Optional<String> whyItCannotPause() {
        return Optional.of(describe() + " cannot be paused by racelab");
    }

    /** SIGSTOPs every process of the server: it then answers nothing until {@link #resumeServer}. */
    default void pauseServer() {
        throw new UnsupportedOperationException(whyItCannotPause().orElse(describe()));
    }

    /** SIGCONTs what {@link #pauseServer} stopped. Safe to call when nothing is paused. */
    default void resumeServer() {
    }
}
