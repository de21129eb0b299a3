package dev.racelab.store;

/**
 * A store's server that racelab may stop and start, for the nemesis: one racelab started
 * itself, or one on loopback that bin/start-services knows how to start, by the same commands.
 * Never anything else: a provider offers a control only for such a server.
 */
public interface ServerControl {
    /** Which server, how it is reached and controlled: for the fault's record. */
    String describe();

    /** Stops the server; returns once it no longer answers. */
    void stopServer();

    /** Starts it again; returns once it answers. */
    void startServer();
}
