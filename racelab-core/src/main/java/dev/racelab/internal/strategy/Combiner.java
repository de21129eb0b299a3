package dev.racelab.internal.strategy;

import dev.racelab.core.Cell;
import dev.racelab.core.Change;
import dev.racelab.core.FailReason;
import dev.racelab.core.Operation;
import dev.racelab.core.Outcome;
import dev.racelab.retry.Retrier;
import dev.racelab.store.BatchWrite;
import dev.racelab.store.CellStore;
import dev.racelab.store.GuardedWriteStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A flat combiner for one cell: group commit in the application. A caller queues its operation
 * and, if no other caller is flushing, becomes the flusher: it drains what has queued, sends the
 * sum of the deltas (and every guard row) as one write, and answers each caller in that write.
 * Callers that arrive meanwhile queue behind it, so the next flusher carries all of them: there
 * is no batcher thread to hop to. A caller is answered only after the write that holds its delta
 * came back.
 *
 * <p><b>With a floor</b> (stock) a batch admits operations, in arrival order, only while their
 * sum fits the cell's last known value. That value may be stale (other instances take from the
 * same cell), so the store's own floor check is what decides: a batch it refuses goes back to
 * the head of the queue, the value is read again, and the next batch may be at most half as
 * large, so a refusal splits the batch until it fits or a lone operation is refused by the
 * store itself. An operation that does not fit a value learned <em>after</em> it was queued is
 * refused without a write: that value was the cell's at a moment between its invocation and
 * its answer, so the refusal is what the store would have said then.
 *
 * <p><b>Unknown outcomes:</b> when the write's outcome is unknown (the connection broke
 * mid-commit), every operation in it gets the same exception, so each is recorded UNKNOWN.
 */
final class Combiner {
    /** Where a test holds the flusher; production has none. */
    interface Hook {
        Hook NONE = new Hook() {
        };

        /** A caller has queued; {@code queued} operations wait now. */
        default void queued(int queued) {
        }

        /** The flusher is about to drain the queue; {@code queued} operations wait there. */
        default void beforeDrain(int queued) {
        }

        /** The flusher has its batch and is about to send it. */
        default void beforeWrite(int batchSize) {
        }
    }

    /** One queued operation and the caller waiting for it. */
    private static final class Waiter {
        final Operation op;
        final long delta;
        final long ticket;
        final Thread thread;
        volatile Object answer; // an Outcome, or the RuntimeException every caller in a failed write gets

        Waiter(Operation op, long ticket) {
            this.op = op;
            this.delta = op.changes().get(0).delta();
            this.ticket = ticket;
            this.thread = Thread.currentThread();
        }

        Outcome outcome() {
            Object a = answer;
            if (a instanceof RuntimeException e) throw e;
            return (Outcome) a;
        }
    }

    private final String key;
    private final CellStore cells;
    private final GuardedWriteStore guarded;
    private final Retrier retrier;
    private final int maxBatch;
    private final Hook hook;
    private final BatchCounts counts;
    private final ConcurrentLinkedDeque<Waiter> queue = new ConcurrentLinkedDeque<>();
    private final AtomicBoolean flushing = new AtomicBoolean();
    private final AtomicLong tickets = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicInteger waiting = new java.util.concurrent.atomic.AtomicInteger();

    // Touched only by the flusher; the flag's CAS and set order each flusher after the last.
    private boolean known;
    private long knownValue;
    /** The value was the cell's after every caller up to this ticket had queued. */
    private long knownAfterTicket = -1;
    private int limit;
    /** The batch being written was admitted with no value known: its refusal says nothing of a stale value. */
    private boolean admittedBlind;

    Combiner(String key, CellStore cells, GuardedWriteStore guarded, Retrier retrier, int maxBatch, Hook hook, BatchCounts counts) {
        this.key = key;
        this.cells = cells;
        this.guarded = guarded;
        this.retrier = retrier;
        this.maxBatch = maxBatch;
        this.hook = hook;
        this.counts = counts;
        this.limit = maxBatch;
    }

    /** Queues the operation and waits until a write that holds it came back (flushing it, if no one else is). */
    Outcome apply(Operation op) {
        Waiter me = new Waiter(op, tickets.incrementAndGet());
        queue.add(me);
        int queued = waiting.incrementAndGet();
        if (hook != Hook.NONE) hook.queued(queued);
        while (me.answer == null) {
            if (!flushing.get() && flushing.compareAndSet(false, true)) {
                try {
                    flushOnce();
                } finally {
                    flushing.set(false);
                }
                Waiter next = queue.peek(); // it may be parked: it flushes next
                if (next != null && next != me) LockSupport.unpark(next.thread);
            } else {
                LockSupport.park(this);
            }
        }
        return me.outcome();
    }

    private void flushOnce() {
        if (hook != Hook.NONE) hook.beforeDrain(waiting.get());
        List<Waiter> batch = admit();
        if (batch.isEmpty()) return;
        hook.beforeWrite(batch.size());
        long sentAfterTicket = tickets.get();
        try {
            write(batch, sentAfterTicket);
        } catch (RuntimeException e) {
            known = false;
            limit = maxBatch;
            for (Waiter w : batch) answer(w, e); // each caller records it: UNKNOWN when it may have landed
        }
    }

    /**
     * The next batch, in arrival order: at most {@link #limit} operations (one floor, distinct
     * guards, no more guards than the store takes), and with a floor only while the sum fits
     * the last known value. Operations that cannot fit a value learned after they queued are
     * refused here.
     */
    private List<Waiter> admit() {
        List<Waiter> batch = new ArrayList<>();
        admittedBlind = !known;
        Set<String> guards = new HashSet<>();
        long sum = 0;
        Waiter w;
        while (batch.size() < limit && (w = queue.peek()) != null) {
            long floor = w.op.floor();
            if (!batch.isEmpty() && floor != batch.get(0).op.floor()) break;
            if (w.op.hasGuard() && (guards.contains(w.op.guard()) || guards.size() == guarded.maxBatchGuards())) break;
            boolean fits = !w.op.hasFloor() || !known || knownValue + sum + w.delta >= floor;
            if (!fits) {
                if (!batch.isEmpty()) break;
                take();
                if (w.ticket <= knownAfterTicket && knownValue + w.delta < floor) {
                    answer(w, Outcome.fail(FailReason.FLOOR));
                    continue;
                }
                batch.add(w); // the value may be stale for it: the store decides, alone
                break;
            }
            take();
            batch.add(w);
            sum += w.delta;
            if (w.op.hasGuard()) guards.add(w.op.guard());
        }
        return batch;
    }

    private void take() {
        queue.poll();
        waiting.decrementAndGet();
    }

    private void putBack(List<Waiter> batch) {
        for (int i = batch.size() - 1; i >= 0; i--) {
            queue.offerFirst(batch.get(i));
            waiting.incrementAndGet();
        }
    }

    private void write(List<Waiter> batch, long sentAfterTicket) {
        long sum = 0;
        List<String> guards = new ArrayList<>();
        for (Waiter w : batch) {
            sum += w.delta;
            if (w.op.hasGuard()) guards.add(w.op.guard());
        }
        long floor = batch.get(0).op.floor();
        Change change = new Change(key, sum);
        counts.sent(batch.size());
        if (guards.isEmpty() && floor == Operation.NO_FLOOR) {
            cells.add(change, floor); // nothing to learn: one plain UPDATE ... SET v = v + sum
            known = false;
            answerAll(batch, Outcome.ok());
            return;
        }
        BatchWrite written = send(change, floor, guards);
        Outcome outcome = written.outcome();
        if (outcome.isOk()) {
            if (written.after() != null) {
                learn(written.after().value(), sentAfterTicket);
            } else if (known) {
                knownValue += sum; // a hint for admission only: others may have changed the cell meanwhile
                knownAfterTicket = -1;
            }
            limit = maxBatch;
            answerAll(batch, outcome);
        } else if (outcome.reason() == FailReason.FLOOR && batch.size() > 1) {
            putBack(batch);
            // Admitted against a value that proved stale (others changed the cell): the next try is smaller,
            // so a cell that keeps changing under us still ends in a batch that fits, or one refused alone.
            if (!admittedBlind) limit = Math.max(1, batch.size() / 2);
            refresh();
        } else if (outcome.reason() == FailReason.DUPLICATE && batch.size() > 1) {
            limit = maxBatch;
            for (Waiter w : batch) answer(w, alone(w.op)); // which guard existed is not said: each on its own
        } else {
            answerAll(batch, outcome);
            if (outcome.reason() == FailReason.FLOOR) {
                limit = maxBatch;
                refresh();
            }
        }
    }

    /** The write, retried while it loses a race (a DynamoDB transaction conflict, a lock wait that ran out). */
    private BatchWrite send(Change change, long floor, List<String> guards) {
        BatchWrite[] last = new BatchWrite[1];
        Outcome outcome = retrier.run(() -> {
            if (guards.isEmpty()) {
                Optional<Cell> after = cells.addAndGet(change, floor);
                last[0] = after.map(c -> new BatchWrite(Outcome.ok(), c)).orElseGet(() -> BatchWrite.refused(Outcome.fail(FailReason.FLOOR)));
            } else {
                last[0] = guarded.addBatch(change, floor, guards);
            }
            return last[0].outcome();
        });
        return outcome.isOk() ? last[0] : BatchWrite.refused(outcome);
    }

    private Outcome alone(Operation op) {
        counts.sent(1);
        return retrier.run(() -> guarded.addGuarded(op));
    }

    /**
     * Reads the cell after a refusal: the value holds for every caller queued before the read.
     * A read that fails leaves the value unknown; the refused callers are not touched by it.
     */
    private void refresh() {
        long before = tickets.get();
        try {
            learn(cells.read(key).value(), before);
        } catch (RuntimeException e) {
            known = false;
        }
    }

    private void learn(long value, long afterTicket) {
        known = true;
        knownValue = value;
        knownAfterTicket = afterTicket;
    }

    private static void answerAll(List<Waiter> batch, Object answer) {
        for (Waiter w : batch) answer(w, answer);
    }

    /** The first answer stands: a caller answered by one write is never re-answered by a later failure. */
    private static void answer(Waiter w, Object answer) {
        if (w.answer != null) return;
        w.answer = answer;
        if (w.thread != Thread.currentThread()) LockSupport.unpark(w.thread);
    }
}
