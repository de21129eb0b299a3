package dev.racelab.internal.probe.http;

import java.io.IOException;

/**
 * How requests reach the server. Each worker takes one {@link Exchanger} of its own, so a
 * worker is one connection, and nothing is shared while the load runs.
 */
public interface HttpTransport extends AutoCloseable {
    Exchanger exchanger();

    @Override
    void close();

    /** One worker's connection: not for sharing between threads. */
    interface Exchanger extends AutoCloseable {
        /** Sends and waits for the answer; an IOException means no answer (a timeout, a refused or broken connection). */
        Answer send(Outgoing request) throws IOException, InterruptedException;

        @Override
        void close();
    }
}
