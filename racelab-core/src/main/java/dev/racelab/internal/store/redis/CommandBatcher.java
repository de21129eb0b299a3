package dev.racelab.internal.store.redis;

import dev.racelab.core.Clock;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.output.ValueOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.RedisCommand;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Sends the commands of many concurrent callers over one Lettuce connection in batches: the
 * script calls of a store whose address racelab's own RESP client does not serve ({@link
 * RespEndpoint}: Sentinel, TLS, a unix socket). A caller
 * queues its command and waits for the answer; one flusher thread takes everything queued
 * and hands it to Lettuce in one {@code dispatch}, which is one write to the socket. Lettuce
 * on its own writes and flushes each command separately, so concurrent callers cost a
 * syscall and an event-loop wake-up each (bench/results/redis-lua: 0.6-0.8 wake-ups per
 * operation). Batching keeps the pipeline full at a fraction of that CPU, which on 2 cores
 * shared with redis-server is what limits throughput.
 *
 * <p>Order is kept: commands go out in the order they were queued, and Redis answers in order.
 * That is also why the timeout is per batch, not per command: the oldest unanswered batch is
 * the only one that can be late, so the flusher checks it about once a second and fails what
 * it still holds. A timer per command (Lettuce's command expiry) cost about a tenth of the
 * throughput.
 */
final class CommandBatcher implements ScriptCalls {
    private static final long CHECK_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Supplier<StatefulRedisConnection<String, String>> connection;
    private final Clock clock;
    private final long timeoutNanos;
    private final ConcurrentLinkedQueue<RedisCommand<String, String, ?>> queued = new ConcurrentLinkedQueue<>();
    /** True while the flusher may be parked and needs an unpark for new work. */
    private final AtomicBoolean flusherIdle = new AtomicBoolean(true);
    /** Batches sent and not yet fully answered, oldest first; touched by the flusher only. */
    private final ArrayDeque<SentBatch> unanswered = new ArrayDeque<>();
    private final Thread flusher;
    private volatile boolean closed;

    private record SentBatch(long sentNanos, List<RedisCommand<String, String, ?>> commands) {
        boolean answered() {
            return commands.get(commands.size() - 1).isDone(); // answers come in order
        }
    }

    /** {@code connection} gives the connection to write to now: a new one after the last broke. */
    CommandBatcher(String storeName, Supplier<StatefulRedisConnection<String, String>> connection, Duration timeout, Clock clock) {
        this.connection = connection;
        this.clock = clock;
        this.timeoutNanos = timeout.toNanos();
        this.flusher = Thread.ofPlatform().daemon().name("racelab-redis-flush-" + storeName).start(this::flushLoop);
    }

    /**
     * Queues the command; its future completes with Redis's answer, or fails when the
     * connection fails or no answer came within the timeout.
     */
    <T extends RedisCommand<String, String, ?>> T send(T command) {
        if (closed) throw new RedisConnectionException("the store is closed");
        queued.add(command);
        if (closed) failQueued(); // closed while queueing: the flusher may have drained already
        else if (flusherIdle.compareAndSet(true, false)) LockSupport.unpark(flusher);
        return command;
    }

    /** The connection's blocking API, for the rare command that need not be batched. */
    RedisCommands<String, String> sync() {
        return connection.get().sync();
    }

    @Override
    public <T> T evalsha(String sha, Class<T> type, String[] keys, String[] args) {
        CommandArgs<String, String> commandArgs = new CommandArgs<>(StringCodec.UTF8)
                .add(sha).add(keys.length).addKeys(keys).addValues(args);
        AsyncCommand<String, String, T> command = new AsyncCommand<>(
                new Command<>(CommandType.EVALSHA, output(type), commandArgs));
        send(command);
        // An untimed wait: the flusher fails the command when no answer came within the
        // timeout, and a timed park would cost every call a timer.
        try {
            return command.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RedisException r ? r : new RedisException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            command.cancel(true);
            throw new RedisException("interrupted while waiting for redis's answer", e);
        }
    }

    @Override
    public void scriptLoad(String text) {
        sync().scriptLoad(text);
    }

    @SuppressWarnings("unchecked")
    private static <T> CommandOutput<String, String, T> output(Class<T> type) {
        if (type == String.class) return (CommandOutput<String, String, T>) (CommandOutput<String, String, ?>) new ValueOutput<>(StringCodec.UTF8);
        if (type == Long.class) return (CommandOutput<String, String, T>) (CommandOutput<String, String, ?>) new IntegerOutput<>(StringCodec.UTF8);
        throw new IllegalArgumentException("scripts answer a String or a Long, not " + type.getSimpleName());
    }

    private void flushLoop() {
        List<RedisCommand<String, String, ?>> batch = new ArrayList<>();
        long nextCheck = clock.nanoTime() + CHECK_EVERY_NANOS;
        while (!closed) {
            drainInto(batch);
            if (!batch.isEmpty()) {
                dispatch(batch);
                batch = new ArrayList<>(); // Lettuce keeps the list until it is written
            }
            long now = clock.nanoTime();
            if (now - nextCheck >= 0) {
                expireLateBatches(now);
                nextCheck = now + CHECK_EVERY_NANOS;
            }
            if (queued.isEmpty()) {
                flusherIdle.set(true);
                // Re-check after announcing idleness: a command queued in between saw idle=false and did not unpark.
                if (queued.isEmpty()) LockSupport.parkNanos(this, CHECK_EVERY_NANOS);
                flusherIdle.set(false);
            }
        }
        failQueued();
    }

    private void drainInto(List<RedisCommand<String, String, ?>> batch) {
        RedisCommand<String, String, ?> command;
        while ((command = queued.poll()) != null) batch.add(command);
    }

    private void dispatch(List<RedisCommand<String, String, ?>> batch) {
        try {
            connection.get().dispatch(batch);
            unanswered.add(new SentBatch(clock.nanoTime(), batch));
        } catch (RedisException | IllegalStateException e) {
            // No connection to write to: none of these was sent, so none can have run.
            RedisConnectionException notSent = e instanceof RedisConnectionException c ? c
                    : new RedisConnectionException(e.getMessage(), e);
            for (RedisCommand<String, String, ?> command : batch) command.completeExceptionally(notSent);
        }
    }

    /** Forgets answered batches; fails the unanswered commands of batches older than the timeout. */
    private void expireLateBatches(long now) {
        while (!unanswered.isEmpty()) {
            SentBatch oldest = unanswered.peek();
            if (!oldest.answered()) {
                if (now - oldest.sentNanos() < timeoutNanos) return;
                RedisCommandTimeoutException late = new RedisCommandTimeoutException(
                        "no answer from redis in " + TimeUnit.NANOSECONDS.toSeconds(timeoutNanos) + " s");
                for (RedisCommand<String, String, ?> command : oldest.commands()) command.completeExceptionally(late);
            }
            unanswered.poll();
        }
    }

    private void failQueued() {
        RedisCommand<String, String, ?> command;
        while ((command = queued.poll()) != null) {
            command.completeExceptionally(new RedisConnectionException("the store was closed before the command was sent"));
        }
    }

    /** Stops the flusher; commands still queued fail as never sent. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(flusher);
        try {
            flusher.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
