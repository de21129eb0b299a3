package dev.racelab.internal.process;

import dev.racelab.internal.process.WorkerMessage.FromWorker;

/** What a parent hears of its workers, in the order each one's happened: a line it said, then at last its exit. */
public sealed interface WorkerEvent {
    WorkerChild worker();

    /** The worker said {@code message}. */
    record Said(WorkerChild worker, FromWorker message) implements WorkerEvent {
    }

    /** The worker's process ended, after everything it said was read. */
    record Exited(WorkerChild worker, int exitCode) implements WorkerEvent {
    }
}
