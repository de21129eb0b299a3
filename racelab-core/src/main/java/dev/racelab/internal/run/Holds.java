package dev.racelab.internal.run;

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
    /** Where an operation stops. */
    enum Moment {
        /**
         * The store applied the operation (its outcome is OK; a refused, failed or unknown one
         * never holds here), and the client has not yet recorded its answer.
         */
        APPLIED,
        /** Between the read and the write that depends on it (inside a lease, for the lock strategies). */
        BETWEEN_READ_AND_WRITE
    }

    private static final long LONGEST_HOLD_MS = 10 * 60_000;

    private final Consumer<String> report;
    /** The operation each thread is applying, so a hold can say which cell it holds. */
    private final ThreadLocal<dev.racelab.core.Operation> applying = new ThreadLocal<>();
    private final AtomicReference<Moment> wanted = new AtomicReference<>();
    private volatile CountDownLatch release = new CountDownLatch(0);

    /** {@code report}: tells the coordinator an operation is holding (the worker's stdout). */
    Holds(Consumer<String> report) {
        this.report = report;
    }

    /** The coordinator's request: the next operation to reach {@code moment} holds there. */
    void request(Moment moment) {
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
    void at(Moment moment) {
        if (wanted.get() != moment || !wanted.compareAndSet(moment, null)) return;
        CountDownLatch until = release;
        dev.racelab.core.Operation op = applying.get();
        report.accept(moment + " " + (op == null ? "-1 -" : op.id() + " " + op.changes().get(0).key()));
        try {
            // Bounded, so a coordinator that never answers cannot hang a worker forever.
            until.await(LONGEST_HOLD_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
