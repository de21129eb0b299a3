package dev.racelab.internal.run;

import dev.racelab.internal.process.HoldMoment;
import dev.racelab.internal.process.WorkerMessage.Holding;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The moments a worker stops for the nemesis, so a fault lands exactly where it claims to,
 * never by luck. The coordinator asks for a hold; the first operation to reach that moment
 * reports "holding" and waits until the coordinator sends it on (or, for a kill, never).
 */
final class Holds {
    private static final long LONGEST_HOLD_MS = 10 * 60_000;

    private final Consumer<Holding> report;
    /** The operation each thread is applying, so a hold can say which cell it holds. */
    private final ThreadLocal<dev.racelab.core.Operation> applying = new ThreadLocal<>();
    private final AtomicReference<HoldMoment> wanted = new AtomicReference<>();
    private volatile CountDownLatch release = new CountDownLatch(0);

    /** {@code report}: tells the coordinator an operation is holding (the worker's stdout). */
    Holds(Consumer<Holding> report) {
        this.report = report;
    }

    /** The coordinator's request: the next operation to reach {@code moment} holds there. */
    void request(HoldMoment moment) {
        release = new CountDownLatch(1);
        wanted.set(moment);
    }

    /** Sends the holding operation on, or withdraws a request no operation took up. */
    void release() {
        wanted.set(null);
        release.countDown();
    }

    /** The thread starts applying {@code op}. */
    void applying(dev.racelab.core.Operation op) {
        applying.set(op);
    }

    /**
     * Called by the thread's operation at {@code moment}: holds there when a hold was asked for
     * it and nobody took it yet, and reports the operation's id and first cell.
     */
    void at(HoldMoment moment) {
        if (wanted.get() != moment || !wanted.compareAndSet(moment, null)) return;
        CountDownLatch until = release;
        dev.racelab.core.Operation op = applying.get();
        report.accept(op == null ? new Holding(moment, -1, "-") : new Holding(moment, op.id(), op.changes().get(0).key()));
        try {
            // Bounded, so a coordinator that never answers cannot hang a worker forever.
            until.await(LONGEST_HOLD_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
