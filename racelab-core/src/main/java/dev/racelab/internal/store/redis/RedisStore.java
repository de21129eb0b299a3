package dev.racelab.internal.store.redis;

import dev.racelab.core.Cell;
import dev.racelab.core.Change;
import dev.racelab.core.Clock;
import dev.racelab.core.FailReason;
import dev.racelab.core.Operation;
import dev.racelab.core.NoSuchCellException;
import dev.racelab.core.Outcome;
import dev.racelab.core.StoreException;
import dev.racelab.core.UsageException;
import dev.racelab.store.BatchWrite;
import dev.racelab.store.Capability;
import dev.racelab.store.CellStore;
import dev.racelab.store.FenceStore;
import dev.racelab.store.GuardPrefix;
import dev.racelab.store.GuardStore;
import dev.racelab.store.GuardedWriteStore;
import dev.racelab.store.Lease;
import dev.racelab.store.LeaseStore;
import dev.racelab.store.StoreAddress;
import dev.racelab.store.StoreErrors;
import dev.racelab.internal.store.redis.LuaScripts.LuaScript;
import dev.racelab.internal.store.redis.LuaScripts.Result;
import dev.racelab.internal.traits.Multiplexed;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.KeyValue;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.SetArgs;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Redis behind the store interface, on Lettuce. A cell is the hash {@code racelab:cell:<key>}
 * with the integer fields {@code v} and {@code version}; a guard is the string
 * {@code racelab:guard:<key>}; a lease is {@code racelab:lease:<name>}, with its fence
 * counter in {@code racelab:fence:<name>}. racelab touches no other key.
 *
 * <p>Script calls, the hot path, go over racelab's own RESP client ({@link RespScriptCalls})
 * when the address is one plain {@code redis://} server, and otherwise (Sentinel, TLS, a unix
 * socket: {@link RespEndpoint}) over Lettuce, queued by {@link CommandBatcher}; either way
 * concurrent callers share one pipelined connection, written in batches. Every other command
 * goes over one shared Lettuce connection, except compare-and-set, which cannot share:
 * WATCH/MULTI/EXEC is connection state, so it borrows a connection of its own from
 * {@link WatchConnections}. Steps that must not be split (check
 * then write) run as the Lua scripts in {@link LuaScripts}. Redis has no multi-command
 * transactions a strategy could hold open, so this store has no TX.
 */
public final class RedisStore implements CellStore, GuardStore, GuardedWriteStore, LeaseStore, FenceStore, Multiplexed {
    /** What Redis can do, for both the redis and the redis-embedded store: no multi-command transactions. */
    public static final Set<Capability> CAPABILITIES = Set.of(Capability.READ_WRITE, Capability.ATOMIC_ADD, Capability.CAS,
            Capability.GUARD_ROW, Capability.ATOMIC_GUARD, Capability.LEASE, Capability.FENCE);

    static final String CELL_NAMESPACE = "racelab:cell:";
    static final String GUARD_NAMESPACE = "racelab:guard:";
    static final String LEASE_NAMESPACE = "racelab:lease:";
    static final String FENCE_NAMESPACE = "racelab:fence:";
    private static final String VALUE = "v";
    private static final String VERSION = "version";

    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    /**
     * WATCH connections are opened one per concurrent compare-and-set, up to this many per
     * store: a run of 10,000 virtual threads must not open 10,000 connections (Redis's default
     * maxclients is 10,000 for the whole server), and on a hot key more watchers only conflict more.
     */
    static final int MAX_WATCH_CONNECTIONS = 64;
    private static final int SCAN_BATCH = 1000;

    private final String name;
    private final String identity;
    private final RedisClient client;
    private final WatchConnections watchConnections;
    /** Where script calls go: {@link RespScriptCalls} or {@link CommandBatcher}. */
    private final ScriptCalls scripts;
    private final ReentrantLock reconnecting = new ReentrantLock();
    private volatile StatefulRedisConnection<String, String> shared;
    private volatile boolean closed;

    private RedisStore(String name, String url, RedisURI uri, RedisClient client, StatefulRedisConnection<String, String> shared,
            int poolSize) {
        this.name = name;
        this.identity = name + "@" + Integer.toHexString(withoutPassword(url).hashCode());
        this.client = client;
        this.shared = shared;
        this.watchConnections = new WatchConnections(Math.min(Math.max(poolSize, 1), MAX_WATCH_CONNECTIONS),
                COMMAND_TIMEOUT, client::connect);
        Optional<RespEndpoint> direct = RespEndpoint.of(url, uri);
        this.scripts = direct.isPresent() ? new RespScriptCalls(direct.get(), COMMAND_TIMEOUT, name)
                : new CommandBatcher(name, this::sharedConnection, COMMAND_TIMEOUT, Clock.SYSTEM);
    }

    /**
     * Connects and PINGs first, so an unreachable server or a refused login fails at once, as a
     * usage error in one line. {@code poolSize} is how many threads will use the store at once.
     */
    public static RedisStore open(StoreAddress address, int poolSize) {
        RedisURI uri = parse(address);
        RedisClient client = RedisClient.create(uri);
        // At most once: with auto-reconnect Lettuce replays commands that were sent but not
        // answered when the connection broke, so an increment could land twice. A broken
        // command must surface as "maybe applied" instead; the next call opens a new connection.
        // No command expiry timer: the sync API and every await here time out on their own,
        // and CommandBatcher times out its batches; a timer per command cost ~10% of throughput.
        client.setOptions(ClientOptions.builder().autoReconnect(false)
                .timeoutOptions(TimeoutOptions.builder().timeoutCommands(false).build()).build());
        try {
            StatefulRedisConnection<String, String> shared = client.connect();
            shared.sync().ping();
            for (LuaScript script : LuaScripts.ALL) script.load(shared.sync());
            return new RedisStore(address.name(), address.url(), uri, client, shared, poolSize);
        } catch (RedisException e) {
            client.shutdown();
            throw unreachable(address, e);
        }
    }

    private static RedisURI parse(StoreAddress address) {
        RedisURI uri;
        try {
            uri = RedisURI.create(address.url());
        } catch (IllegalArgumentException e) {
            throw new UsageException("bad redis url '" + withoutPassword(address.url()) + "': " + e.getMessage()
                    + " (expected redis://host:port)");
        }
        uri.setTimeout(COMMAND_TIMEOUT);
        return uri;
    }

    private static UsageException unreachable(StoreAddress address, RedisException e) {
        Throwable root = e;
        while (root.getCause() != null) root = root.getCause();
        String reason = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        // netty appends the address ("Connection refused: /127.0.0.1:6379"); the URL says it already
        reason = reason.replaceFirst(": /[^\\s]*$", "");
        // netty's native epoll transport (on the classpath with Redisson) words it "finishConnect(..) failed: ..."
        reason = reason.replaceFirst("^finishConnect\\(\\.\\.\\) failed: ", "");
        String hint = root instanceof IOException ? " (is Redis running? set --redis-url or RACELAB_REDIS_URL)" : "";
        return new UsageException("cannot connect to redis at " + withoutPassword(address.url()) + ": " + reason + hint);
    }

    /** The URL as it may be printed: a password in it is replaced by stars. */
    static String withoutPassword(String url) {
        return url.replaceFirst("^(\\w+://)[^@/]*@", "$1***@");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String identity() {
        return identity;
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    // --- cells -------------------------------------------------------------------------------

    /** DEL then HSET per cell, sent together: Lettuce keeps their order on the one connection. */
    @Override
    public void createCells(List<Cell> cells) {
        String operation = "create cells " + cells.stream().map(Cell::key).toList();
        runBatch(operation, redis -> {
            List<RedisFuture<?>> sent = new ArrayList<>();
            for (Cell cell : cells) {
                sent.add(redis.del(cellKey(cell.key())));
                sent.add(redis.hset(cellKey(cell.key()), Map.of(
                        VALUE, Long.toString(cell.value()), VERSION, Long.toString(cell.version()))));
            }
            return sent;
        });
    }

    @Override
    public void deleteCells(Collection<String> keys) {
        if (keys.isEmpty()) return; // DEL needs at least one key
        runBatch("delete cells " + keys, redis -> List.of(redis.del(keys.stream().map(RedisStore::cellKey).toArray(String[]::new))));
    }

    @Override
    public Cell read(String key) {
        List<KeyValue<String, String>> fields;
        try {
            fields = commands().hmget(cellKey(key), VALUE, VERSION);
        } catch (RedisException e) {
            throw failure("read " + key, e, false);
        }
        if (!fields.get(0).hasValue() || !fields.get(1).hasValue()) throw missingCell(key);
        return new Cell(key, Long.parseLong(fields.get(0).getValue()), Long.parseLong(fields.get(1).getValue()));
    }

    /** A blind write, so the naive race stays: the read before it was a separate call. */
    @Override
    public void write(String key, long value) {
        String result;
        try {
            result = LuaScripts.WRITE.run(scripts, String.class, new String[] {cellKey(key)}, Long.toString(value));
        } catch (RedisException e) {
            throw failure("write " + key, e, true);
        }
        if (!result.equals(Result.OK)) throw missingCell(key);
    }

    /**
     * WATCH the cell, check its version, then MULTI/EXEC the write: Redis drops the EXEC when
     * anyone changed the cell after the WATCH, which is a lost race, not an error. Commands go
     * out in two pipelined rounds (WATCH+HGET, then MULTI..EXEC), not one round trip each.
     */
    @Override
    public boolean compareAndSet(String key, long expectedVersion, long newValue) {
        String operation = "compare-and-set " + key;
        String cellKey = cellKey(key);
        StatefulRedisConnection<String, String> connection = borrowWatchConnection(operation);
        boolean clean = false;
        boolean executing = false;
        try {
            RedisAsyncCommands<String, String> redis = connection.async();
            RedisFuture<String> watched = redis.watch(cellKey);
            String version = await(redis.hget(cellKey, VERSION));
            await(watched);
            if (version == null || Long.parseLong(version) != expectedVersion) {
                await(redis.unwatch());
                clean = true;
                if (version == null) throw missingCell(key);
                return false;
            }
            executing = true;
            redis.multi();
            redis.hset(cellKey, VALUE, Long.toString(newValue));
            redis.hincrby(cellKey, VERSION, 1);
            TransactionResult result = await(redis.exec());
            clean = true;
            return !result.wasDiscarded();
        } catch (RedisException e) {
            throw failure(operation, e, executing);
        } finally {
            watchConnections.giveBack(connection, clean);
        }
    }

    /** Waits for one answer as the sync API would: a timeout cancels the command and throws. */
    private static <T> T await(RedisFuture<T> answer) {
        return LettuceFutures.awaitOrCancel(answer, COMMAND_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public boolean add(Change change, long floor) {
        return switch (applyChanges(null, List.of(change), floor, null, false)) {
            case Result.OK -> true;
            case Result.FLOOR -> false;
            default -> throw new IllegalStateException("unexpected answer from " + LuaScripts.APPLY_CHANGES.name());
        };
    }

    /** One script that adds and answers the cell it left: exactly this add's result, in one round trip. */
    @Override
    public Optional<Cell> addAndGet(Change change, long floor) {
        BatchWrite written = addBatch(change, floor, List.of());
        return written.outcome().isOk() ? Optional.of(written.after()) : Optional.empty();
    }

    /** {@link LuaScripts#ADD_BATCH}: the sum, the floor and every guard key in one script. */
    @Override
    public BatchWrite addBatch(Change sum, long floor, List<String> guards) {
        checkBatchSize(guards);
        String[] keys = new String[guards.size() + 1];
        keys[0] = cellKey(sum.key());
        for (int i = 0; i < guards.size(); i++) keys[i + 1] = guardKey(guards.get(i));
        String result;
        try {
            result = LuaScripts.ADD_BATCH.run(scripts, String.class, keys, floor == Operation.NO_FLOOR ? "" : Long.toString(floor),
                    Long.toString(sum.delta()));
        } catch (RedisException e) {
            throw failure("add a batch of " + Math.max(1, guards.size()) + " to " + sum.key(), e, true);
        }
        if (result.equals(Result.FLOOR)) return BatchWrite.refused(Outcome.fail(FailReason.FLOOR));
        if (result.equals(Result.DUPLICATE)) return BatchWrite.refused(Outcome.fail(FailReason.DUPLICATE));
        if (!result.startsWith(Result.OK + ":")) throw missingCell(sum.key());
        String[] parts = result.split(":");
        return new BatchWrite(Outcome.ok(), new Cell(sum.key(), Long.parseLong(parts[1]), Long.parseLong(parts[2])));
    }

    // --- fences ------------------------------------------------------------------------------

    @Override
    public Optional<Cell> readFenced(String key, long fence) {
        String result;
        try {
            result = LuaScripts.READ_FENCED.run(scripts, String.class, new String[] {cellKey(key)}, Long.toString(fence));
        } catch (RedisException e) {
            throw failure("fenced read of " + key, e, true);
        }
        if (result.equals(Result.FENCED)) return Optional.empty();
        if (!result.startsWith(Result.OK + ":")) throw missingCell(key);
        String[] parts = result.split(":");
        return Optional.of(new Cell(key, Long.parseLong(parts[1]), Long.parseLong(parts[2])));
    }

    @Override
    public boolean writeFenced(String key, long value, long fence) {
        String result;
        try {
            result = LuaScripts.WRITE_FENCED.run(scripts, String.class, new String[] {cellKey(key)}, Long.toString(value),
                    Long.toString(fence));
        } catch (RedisException e) {
            throw failure("fenced write of " + key, e, true);
        }
        if (result.equals(Result.FENCED)) return false;
        if (!result.equals(Result.OK)) throw missingCell(key);
        return true;
    }

    // --- guards ------------------------------------------------------------------------------

    @Override
    public boolean insertGuard(String key) {
        try {
            return commands().set(guardKey(key), "1", SetArgs.Builder.nx()) != null;
        } catch (RedisException e) {
            throw failure("insert guard " + key, e, true);
        }
    }

    /** One script: the guard, every cell's floor, then every delta and the guard (or its release), all or nothing. */
    @Override
    public Outcome addGuarded(Operation op) {
        String operation = "apply operation " + op.id() + (op.hasGuard() ? " guarded by " + op.guard() : "");
        return switch (applyChanges(operation, op.inLockOrder(), op.floor(), op.guard(), op.releasesGuard())) {
            case Result.OK -> Outcome.ok();
            case Result.FLOOR -> Outcome.fail(FailReason.FLOOR);
            case Result.DUPLICATE -> Outcome.fail(FailReason.DUPLICATE);
            case Result.ABSENT -> Outcome.fail(FailReason.ABSENT);
            default -> throw new IllegalStateException("unexpected answer from " + LuaScripts.APPLY_CHANGES.name());
        };
    }

    @Override
    public List<String> guards(String prefix) {
        List<String> keys = new ArrayList<>();
        scanGuards("list guards under " + prefix, prefix, found -> {
            for (String key : found) keys.add(key.substring(GUARD_NAMESPACE.length()));
        });
        return keys;
    }

    @Override
    public boolean removeGuard(String key) {
        try {
            return commands().del(guardKey(key)) == 1;
        } catch (RedisException e) {
            throw failure("remove guard " + key, e, true);
        }
    }

    @Override
    public void deleteGuards(String prefix) {
        String operation = "delete guards under " + prefix;
        scanGuards(operation, prefix, found -> {
            try {
                commands().del(found.toArray(String[]::new));
            } catch (RedisException e) {
                throw failure(operation, e, true);
            }
        });
    }

    /** SCAN, not KEYS: it does not block the server while it walks a large key space. */
    private void scanGuards(String operation, String prefix, Consumer<List<String>> batch) {
        ScanArgs match = ScanArgs.Builder.matches(GuardPrefix.redisGlob(GUARD_NAMESPACE, prefix)).limit(SCAN_BATCH);
        try {
            KeyScanCursor<String> cursor = commands().scan(match);
            while (true) {
                // SCAN may return a key twice across batches
                List<String> found = List.copyOf(new LinkedHashSet<>(cursor.getKeys()));
                if (!found.isEmpty()) batch.accept(found);
                if (cursor.isFinished()) break;
                cursor = commands().scan(cursor, match);
            }
        } catch (RedisException e) {
            throw failure(operation, e, false);
        }
    }

    // --- leases ------------------------------------------------------------------------------

    @Override
    public Optional<Lease> tryLease(String leaseName, Duration ttl) {
        if (ttl.toMillis() < 1) throw new IllegalArgumentException("a lease needs a TTL of at least 1 ms, was " + ttl);
        String token = UUID.randomUUID().toString();
        Long fence;
        try {
            fence = LuaScripts.TAKE_LEASE.run(scripts, Long.class,
                    new String[] {LEASE_NAMESPACE + leaseName, FENCE_NAMESPACE + leaseName}, token, Long.toString(ttl.toMillis()));
        } catch (RedisException e) {
            throw failure("take lease " + leaseName, e, true);
        }
        return fence == 0 ? Optional.empty() : Optional.of(new Lease(leaseName, token, fence));
    }

    @Override
    public void forgetLeases(java.util.Collection<String> names) {
        if (names.isEmpty()) return;
        String[] keys = names.stream().flatMap(n -> java.util.stream.Stream.of(FENCE_NAMESPACE + n, LEASE_NAMESPACE + n)).toArray(String[]::new);
        runBatch("forget leases " + names, redis -> List.of(redis.del(keys)));
    }

    @Override
    public boolean releaseLease(Lease lease) {
        try {
            Long released = LuaScripts.RELEASE_LEASE.run(scripts, Long.class,
                    new String[] {LEASE_NAMESPACE + lease.name()}, lease.token());
            return released == 1;
        } catch (RedisException e) {
            throw failure("release lease " + lease.name(), e, true);
        }
    }

    // --- plumbing ----------------------------------------------------------------------------

    /**
     * Runs {@link LuaScripts#APPLY_CHANGES}; answers {@link Result#OK}, {@link Result#FLOOR},
     * {@link Result#DUPLICATE} or {@link Result#ABSENT}, and throws naming the cell when one is missing.
     * {@code operation} names it in an error; null for a single add, named only on failure (the hot path builds no string).
     */
    private String applyChanges(String operation, List<Change> changes, long floor, String guard, boolean release) {
        List<String> keys = new ArrayList<>(changes.size() + 1);
        List<String> args = new ArrayList<>(changes.size() + 2);
        args.add(floor == Operation.NO_FLOOR ? "" : Long.toString(floor));
        args.add(guard == null ? "0" : release ? "2" : "1");
        for (Change change : changes) {
            keys.add(cellKey(change.key()));
            args.add(Long.toString(change.delta()));
        }
        if (guard != null) keys.add(guardKey(guard));
        String result;
        try {
            result = LuaScripts.APPLY_CHANGES.run(scripts, String.class,
                    keys.toArray(String[]::new), args.toArray(String[]::new));
        } catch (RedisException e) {
            throw failure(operation == null ? "add to " + changes.get(0).key() : operation, e, true);
        }
        if (result.startsWith(Result.MISSING + ":")) {
            int index = Integer.parseInt(result.substring(Result.MISSING.length() + 1)) - 1;
            throw missingCell(changes.get(index).key());
        }
        return result;
    }

    private interface Batch {
        List<RedisFuture<?>> send(RedisAsyncCommands<String, String> redis);
    }

    /** Sends commands without waiting for each answer, then waits for all of them. */
    private void runBatch(String operation, Batch batch) {
        try {
            List<RedisFuture<?>> sent = batch.send(sharedConnection().async());
            if (!LettuceFutures.awaitAll(COMMAND_TIMEOUT, sent.toArray(RedisFuture[]::new))) {
                throw StoreErrors.failure(name, operation, "no answer in " + COMMAND_TIMEOUT.toSeconds() + " s", null, true);
            }
        } catch (RedisException e) {
            throw failure(operation, e, true);
        }
    }

    private StatefulRedisConnection<String, String> borrowWatchConnection(String operation) {
        try {
            return watchConnections.borrow(name + ": " + operation);
        } catch (RedisException e) {
            throw failure(operation, e, false);
        }
    }

    private RedisCommands<String, String> commands() {
        return sharedConnection().sync();
    }

    /** The shared connection; a new one when the last broke (auto-reconnect is off, see {@link #open}). */
    private StatefulRedisConnection<String, String> sharedConnection() {
        StatefulRedisConnection<String, String> c = shared;
        if (c.isOpen()) return c;
        reconnecting.lock();
        try {
            if (closed) throw new IllegalStateException("store '" + name + "' is closed");
            if (!shared.isOpen()) {
                StatefulRedisConnection<String, String> broken = shared;
                shared = client.connect(); // when this fails, the next call tries again
                broken.closeAsync();
            }
            return shared;
        } finally {
            reconnecting.unlock();
        }
    }

    static String cellKey(String key) {
        return CELL_NAMESPACE + key;
    }

    static String guardKey(String key) {
        return GUARD_NAMESPACE + key;
    }

    private StoreException missingCell(String key) {
        return new NoSuchCellException(key, "no cell '" + key + "' on " + name + " (no hash " + cellKey(key) + ")");
    }

    /**
     * One exception naming the operation. A write may have landed unless the server refused it
     * (an error reply) or it was never sent (no connection): a timeout or a connection that
     * broke while the answer was outstanding leaves it unknown.
     */
    private StoreException failure(String operation, RedisException e, boolean isWrite) {
        boolean neverRan = e instanceof RedisCommandExecutionException || e instanceof RedisConnectionException;
        return StoreErrors.failure(name, operation, e.getMessage(), e, isWrite && !neverRan);
    }

    /** Closes every connection and stops Lettuce's threads, so a worker JVM can exit. */
    @Override
    public void close() {
        reconnecting.lock();
        try {
            if (closed) return;
            closed = true;
            scripts.close();
            watchConnections.close();
            shared.close();
        } finally {
            reconnecting.unlock();
        }
        client.shutdown();
    }
}
