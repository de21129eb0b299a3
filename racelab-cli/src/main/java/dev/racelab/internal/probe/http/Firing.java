package dev.racelab.internal.probe.http;

import dev.racelab.core.Clock;
import dev.racelab.core.RunAbortedException;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * The load itself, for {@code probe http} and its {@code load} preset: {@code inFlight}
 * connections take the next request number until none is left, so no more than that are ever
 * in flight. Plain HTTP on the socket transport runs them on one event loop per core
 * ({@link EventLoops}); otherwise each is a virtual thread. Every connection waits at one start
 * latch, so the first wave really does arrive at once. A progress line goes out every
 * {@code progressEvery} while it runs.
 */
public final class Firing {
    /** Request number n (1..N), ready to send, with what it asks for: its delta and key (null: none). */
    public record Planned(Outgoing request, BigDecimal delta, String key) {
    }

    /** The merged tally and how long the load took, from the release of the latch to the last answer. */
    public record Fired(Tally tally, long elapsedNanos) {
    }

    private final HttpTransport transport;
    private final Clock clock;
    private final PrintWriter progress;
    private final Duration progressEvery;
    private final String label;

    public Firing(HttpTransport transport, Clock clock, PrintWriter progress, Duration progressEvery, String label) {
        this.transport = transport;
        this.clock = clock;
        this.progress = progress;
        this.progressEvery = progressEvery;
        this.label = label;
    }

    public Fired run(int requests, int inFlight, IntFunction<Planned> plan, Supplier<Tally> newTally) {
        if (transport instanceof SocketTransport sockets && requests > 0 && plan.apply(1).request().uri().getScheme().equalsIgnoreCase("http")) {
            return onEventLoops(sockets, requests, inFlight, plan, newTally);
        }
        int workers = Math.min(requests, inFlight);
        AtomicInteger next = new AtomicInteger();
        LongAdder done = new LongAdder();
        CountDownLatch ready = new CountDownLatch(workers);
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch finished = new CountDownLatch(workers);
        List<Future<Tally>> futures = new ArrayList<>(workers);
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        try {
            for (int w = 0; w < workers; w++) {
                futures.add(pool.submit(() -> {
                    try (HttpTransport.Exchanger exchanger = transport.exchanger()) {
                        Tally tally = newTally.get();
                        ready.countDown();
                        go.await();
                        for (int i = next.getAndIncrement(); i < requests; i = next.getAndIncrement()) {
                            send(exchanger, plan.apply(i + 1), tally);
                            done.increment();
                        }
                        return tally;
                    } finally {
                        finished.countDown();
                    }
                }));
            }
            ready.await();
            long start = clock.nanoTime();
            go.countDown();
            while (!finished.await(progressEvery.toMillis(), TimeUnit.MILLISECONDS)) printProgress(requests, done.sum(), start);
            long elapsed = clock.nanoTime() - start;
            Tally all = newTally.get();
            for (Future<Tally> f : futures) all.add(f.get());
            return new Fired(all, elapsed);
        } catch (InterruptedException e) {
            throw interrupted(pool);
        } catch (ExecutionException e) {
            throw failed(e, "worker");
        } finally {
            go.countDown(); // never leave a worker waiting at the latch, or close() would wait for it forever
            pool.close();
        }
    }

    /**
     * Plain HTTP on the socket transport: the connections on one event loop a core
     * ({@link EventLoops}), which costs the client a fraction of a thread a connection.
     */
    private Fired onEventLoops(SocketTransport sockets, int requests, int inFlight, IntFunction<Planned> plan, Supplier<Tally> newTally) {
        int connections = Math.min(requests, inFlight);
        int loops = Math.min(connections, Runtime.getRuntime().availableProcessors());
        AtomicInteger next = new AtomicInteger();
        LongAdder done = new LongAdder();
        CountDownLatch go = new CountDownLatch(1);
        EventLoops eventLoops = new EventLoops(clock, sockets.timeout().toNanos());
        List<EventLoops.Loop> started = new ArrayList<>(loops);
        List<Future<?>> futures = new ArrayList<>(loops);
        ExecutorService pool = Executors.newThreadPerTaskExecutor(Thread.ofPlatform().name("racelab-probe-loop-", 0).factory());
        try {
            for (int l = 0; l < loops; l++) {
                int share = connections / loops + (l < connections % loops ? 1 : 0);
                EventLoops.Loop loop = eventLoops.new Loop(share, newTally.get(), requests, next, done, plan, go);
                started.add(loop);
                futures.add(pool.submit(loop));
            }
            long start = clock.nanoTime();
            go.countDown();
            for (Future<?> f : futures) {
                while (true) {
                    try {
                        f.get(progressEvery.toMillis(), TimeUnit.MILLISECONDS);
                        break;
                    } catch (java.util.concurrent.TimeoutException stillRunning) {
                        printProgress(requests, done.sum(), start);
                    }
                }
            }
            long elapsed = clock.nanoTime() - start;
            Tally all = newTally.get();
            for (EventLoops.Loop loop : started) all.add(loop.tally());
            return new Fired(all, elapsed);
        } catch (IOException e) {
            throw new RunAbortedException("the " + label + " could not open its event loops: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            throw interrupted(pool);
        } catch (ExecutionException e) {
            throw failed(e, "event loop");
        } finally {
            pool.shutdownNow(); // first: a loop still at the latch then leaves without sending
            go.countDown();
            pool.close();
        }
    }

    /** Stops the load where it is: interrupting its threads cancels their requests. */
    private RunAbortedException interrupted(ExecutorService pool) {
        pool.shutdownNow();
        Thread.currentThread().interrupt();
        return new RunAbortedException("the " + label + " was interrupted");
    }

    /** What a {@code who} (a worker, an event loop) that failed throws: its own runtime exception, as is. */
    private RuntimeException failed(ExecutionException e, String who) {
        if (e.getCause() instanceof RuntimeException r) return r;
        return new RunAbortedException("a " + label + " " + who + " failed: " + e.getCause(), e.getCause());
    }

    private void send(HttpTransport.Exchanger exchanger, Planned p, Tally tally) throws InterruptedException {
        long sent = clock.nanoTime();
        try {
            Answer answer = exchanger.send(p.request());
            long now = clock.nanoTime();
            tally.answered(answer, p.delta(), p.key(), now - sent, now);
        } catch (IOException e) { // a timeout or a broken connection: the request may or may not have landed
            long now = clock.nanoTime();
            tally.noAnswer(e, p.delta(), p.key(), now - sent, now);
        }
    }

    private void printProgress(int requests, long done, long start) {
        double seconds = Math.max(1e-9, (clock.nanoTime() - start) / 1e9);
        progress.printf(Locale.ROOT, "  %s: %,d / %,d requests (%d%%), %,.0f req/s, %.0f s%n", label, done, requests,
                done * 100 / requests, done / seconds, seconds);
        progress.flush();
    }
}
