package dev.racelab.internal.process;

import dev.racelab.internal.process.WorkerMessage.ClockReply;
import dev.racelab.internal.process.WorkerMessage.Done;
import dev.racelab.internal.process.WorkerMessage.Error;
import dev.racelab.internal.process.WorkerMessage.FromWorker;
import dev.racelab.internal.process.WorkerMessage.Holding;
import dev.racelab.internal.process.WorkerMessage.Progress;
import dev.racelab.internal.process.WorkerMessage.Ready;
import dev.racelab.internal.process.WorkerMessage.RemotePid;
import dev.racelab.internal.process.WorkerMessage.Usage;

/**
 * What a worker has said so far, and whether it ended, as of one moment: {@code holding} is the
 * hold it reported and the parent has not sent on; {@code reportedPid} 0 until a remote worker's
 * shell said it; {@code exitCode} null while it runs (set only once all it said was read).
 */
public record WorkerState(boolean ready, boolean goSent, long completed, boolean done, Holding holding, String error,
        String usage, long reportedPid, Integer exitCode) {
    static final WorkerState START = new WorkerState(false, false, 0, false, null, null, null, 0, null);

    public boolean exited() {
        return exitCode != null;
    }

    /** Released at the barrier, not done, not exited: running its load. */
    public boolean running() {
        return goSent && !done && !exited();
    }

    /** Exited before it said DONE, or with a code other than 0. */
    public boolean diedEarly() {
        return exited() && !(done && exitCode == WorkerChannel.EXIT_DONE);
    }

    WorkerState heard(FromWorker message) {
        return switch (message) {
            case Ready r -> new WorkerState(true, goSent, completed, done, holding, error, usage, reportedPid, exitCode);
            case Progress p -> new WorkerState(ready, goSent, p.completed(), done, holding, error, usage, reportedPid, exitCode);
            case Done d -> new WorkerState(ready, goSent, d.completed(), true, holding, error, usage, reportedPid, exitCode);
            case Holding h -> new WorkerState(ready, goSent, completed, done, h, error, usage, reportedPid, exitCode);
            case Error e -> new WorkerState(ready, goSent, completed, done, holding, e.message(), usage, reportedPid, exitCode);
            case Usage u -> new WorkerState(ready, goSent, completed, done, holding, error, u.message(), reportedPid, exitCode);
            case RemotePid p -> reportedPid != 0 ? this
                    : new WorkerState(ready, goSent, completed, done, holding, error, usage, p.pid(), exitCode);
            case ClockReply c -> this;
        };
    }

    WorkerState withGoSent() {
        return new WorkerState(ready, true, completed, done, holding, error, usage, reportedPid, exitCode);
    }

    WorkerState withoutHolding() {
        return new WorkerState(ready, goSent, completed, done, null, error, usage, reportedPid, exitCode);
    }

    WorkerState withError(String why) {
        return new WorkerState(ready, goSent, completed, done, holding, why, usage, reportedPid, exitCode);
    }

    WorkerState exitedWith(int code) {
        return new WorkerState(ready, goSent, completed, done, holding, error, usage, reportedPid, code);
    }
}
