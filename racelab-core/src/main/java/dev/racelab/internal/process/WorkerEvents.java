package dev.racelab.internal.process;

import dev.racelab.core.Clock;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The events of a parent's workers, in one queue: the parent waits on it (with a deadline on the
 * {@link Clock}) instead of polling its workers, and wakes when any of them says something or exits.
 */
public final class WorkerEvents {
    private final BlockingQueue<WorkerEvent> queue = new LinkedBlockingQueue<>();
    private final Clock clock;

    public WorkerEvents(Clock clock) {
        this.clock = clock;
    }

    public Clock clock() {
        return clock;
    }

    /** The listener to start each worker with. */
    public Consumer<WorkerEvent> sink() {
        return queue::add;
    }

    /** The next event, or null when the clock reaches {@code deadlineNanos} first. */
    public WorkerEvent next(long deadlineNanos) throws InterruptedException {
        WorkerEvent e = queue.poll();
        if (e != null) return e;
        long left = deadlineNanos - clock.nanoTime();
        return left <= 0 ? null : queue.poll(left, TimeUnit.NANOSECONDS);
    }

    /** How the start barrier ended: every worker ready, one exited first, or the deadline came first. */
    public sealed interface Barrier {
    }

    public record AllReady() implements Barrier {
    }

    /** {@code worker} exited before every worker was ready. */
    public record ExitedFirst(WorkerChild worker) implements Barrier {
    }

    /** The deadline came with {@code notReady} still connecting. */
    public record TimedOut(List<WorkerChild> notReady) implements Barrier {
    }

    /** Waits until every one of {@code workers} said READY, one of them exits, or the clock reaches {@code deadlineNanos}. */
    public Barrier awaitReady(List<WorkerChild> workers, long deadlineNanos) throws InterruptedException {
        while (true) {
            for (WorkerChild w : workers) if (w.state().exited()) return new ExitedFirst(w);
            if (workers.stream().allMatch(w -> w.state().ready())) return new AllReady();
            if (next(deadlineNanos) == null && clock.nanoTime() - deadlineNanos >= 0) {
                return new TimedOut(workers.stream().filter(w -> !w.state().ready()).toList());
            }
        }
    }
}
