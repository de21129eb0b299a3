package dev.racelab.internal.store.redisson;

import dev.racelab.core.StoreException;
import dev.racelab.core.UsageException;
import dev.racelab.store.Capability;
import dev.racelab.store.Lease;
import dev.racelab.store.LeaseStore;
import dev.racelab.store.StoreAddress;
import dev.racelab.store.StoreErrors;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.redisson.Redisson;
import org.redisson.RedissonShutdownException;
import org.redisson.api.RFencedLock;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;
import org.redisson.client.RedisConnectionException;
import org.redisson.client.RedisException;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;
import org.redisson.config.SingleServerConfig;

/**
 * Leases on Redisson's lock recipes (3.50.0): {@link #tryLease} takes an {@link RLock},
 * {@link #tryFencedLease} an {@link RFencedLock}, whose token is its fence.
 *
 * <p>Neither lock gets a lease time, so Redisson's watchdog keeps it: the lock's key expires
 * {@code lease-ttl-ms} (the address option, default 10000) after it was last renewed, and the
 * watchdog renews it every third of that while this client lives. The {@code ttl} a caller
 * passes is therefore not the lease's life: a lease lives until it is released or its holder
 * falls silent (its JVM dies, its client shuts down, Redis stops hearing from it).
 *
 * <p>Keys: the lock of lease {@code n} is the hash {@code racelab:redisson:n}, for both
 * recipes, so a plain and a fenced lease on one name exclude each other. Redisson derives two
 * more keys from that name that racelab cannot rename: the fence counter
 * {@code redisson_lock_token:{racelab:redisson:n}} (never expires, so fences keep growing) and
 * the short-lived unlock latch {@code redisson_unlock_latch:{racelab:redisson:n}:<request id>}.
 *
 * <p>Not reentrant: Redisson's locks are reentrant per thread (a second tryLock by the holding
 * thread succeeds, and the fenced lock hands out a new token), so this store keeps the names it
 * holds in {@link #heldNames} and refuses a name it holds before asking Redis. Each lease
 * remembers its lock and the thread that took it ({@link #byToken}): Redisson knows the holder
 * by its client id and thread id, and the unlock names that thread, so only a token this store
 * granted and still holds can release anything.
 */
public final class RedissonStore implements LeaseStore {
    static final Set<Capability> CAPABILITIES = Set.of(Capability.LEASE);

    /** Every lock name starts with this, so racelab's keys stay under {@code racelab:}. */
    static final String LOCK_NAMESPACE = "racelab:redisson:";
    /** The address option that sets the watchdog's timeout: how long a silent holder keeps a lease. */
    public static final String LEASE_TTL_OPTION = StoreAddress.LEASE_TTL_MS;
    static final long DEFAULT_LEASE_TTL_MS = 10_000;
    /** Below this the watchdog would renew every few milliseconds. */
    static final long MIN_LEASE_TTL_MS = 100;

    /** Small, so an unreachable server fails the open in about this long. */
    static final int CONNECT_TIMEOUT_MS = 2_000;
    static final int COMMAND_TIMEOUT_MS = 10_000;
    /**
     * The lock scripts are sent without retries by Redisson itself (evalWriteSyncedNoRetry),
     * so this only covers reads and getting a connection.
     */
    static final int RETRY_ATTEMPTS = 1;
    static final int MAX_CONNECTIONS = 64;

    private final String name;
    private final String identity;
    private final RedissonClient client;
    /** Lease name to the token of this store's lease on it, set before Redis is asked. */
    private final Map<String, String> heldNames = new ConcurrentHashMap<>();
    private final Map<String, Held> byToken = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    /** One lease this store holds: the lock object and the thread Redisson counts as its owner. */
    private record Held(String name, RLock lock, long threadId) {
    }

    private RedissonStore(String name, String url, RedissonClient client) {
        this.name = name;
        this.identity = name + "@" + Integer.toHexString(withoutPassword(url).hashCode());
        this.client = client;
    }

    /**
     * Connects (Redisson opens its first connection before it returns), so an unreachable
     * server or a refused login fails at once, as a usage error in one line.
     */
    public static RedissonStore open(StoreAddress address, int poolSize) {
        Config config = config(address, poolSize);
        RedissonClient client;
        try {
            client = Redisson.create(config);
        } catch (RuntimeException e) {
            throw unreachable(address, e);
        }
        return new RedissonStore(address.name(), address.url(), client);
    }

    static Config config(StoreAddress address, int poolSize) {
        Config config = new Config();
        // Locks encode their own arguments; a plain codec spares loading Kryo, the default.
        config.setCodec(StringCodec.INSTANCE);
        config.setLockWatchdogTimeout(leaseTtlMillis(address));
        SingleServerConfig server = config.useSingleServer();
        applyUrl(server, address.url());
        // Callers never wait for a lock here (tryLock with no wait), so no subscription is
        // opened; one command connection is opened at once, for the fail-fast check.
        server.setConnectionMinimumIdleSize(1)
                .setConnectionPoolSize(Math.min(Math.max(poolSize, 1) + 1, MAX_CONNECTIONS))
                .setSubscriptionConnectionMinimumIdleSize(0)
                .setConnectTimeout(CONNECT_TIMEOUT_MS)
                .setTimeout(COMMAND_TIMEOUT_MS)
                .setRetryAttempts(RETRY_ATTEMPTS);
        return config;
    }

    static long leaseTtlMillis(StoreAddress address) {
        String value = address.option(LEASE_TTL_OPTION, Long.toString(DEFAULT_LEASE_TTL_MS));
        long ms;
        try {
            ms = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            ms = -1;
        }
        if (ms < MIN_LEASE_TTL_MS) {
            throw new UsageException("bad " + LEASE_TTL_OPTION + " '" + value + "' for " + address.name()
                    + ": expected whole milliseconds >= " + MIN_LEASE_TTL_MS);
        }
        return ms;
    }

    /** redis://[user:password@ or :password@]host:port[/db] into Redisson's address, login and database. */
    private static void applyUrl(SingleServerConfig server, String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw badUrl(url, e.getReason());
        }
        String scheme = uri.getScheme();
        if (!"redis".equals(scheme) && !"rediss".equals(scheme)) throw badUrl(url, "the scheme is not redis or rediss");
        if (uri.getHost() == null) throw badUrl(url, "no host");
        int port = uri.getPort() == -1 ? 6379 : uri.getPort();
        server.setAddress(scheme + "://" + uri.getHost() + ":" + port);
        String login = uri.getUserInfo();
        if (login != null && !login.isEmpty()) {
            int colon = login.indexOf(':');
            if (colon < 0) {
                server.setPassword(login);
            } else {
                if (colon > 0) server.setUsername(login.substring(0, colon));
                server.setPassword(login.substring(colon + 1));
            }
        }
        String path = uri.getPath();
        if (path != null && !path.isEmpty() && !path.equals("/")) {
            try {
                server.setDatabase(Integer.parseInt(path.substring(1)));
            } catch (NumberFormatException e) {
                throw badUrl(url, "the database '" + path.substring(1) + "' is not a number");
            }
        }
    }

    private static UsageException badUrl(String url, String reason) {
        return new UsageException("bad redis url '" + withoutPassword(url) + "': " + reason + " (expected redis://host:port)");
    }

    private static UsageException unreachable(StoreAddress address, RuntimeException e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String reason = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        // netty appends the address ("Connection refused: /127.0.0.1:6379"); the URL says it already
        reason = reason.replaceFirst(": /[^\\s]*$", "").strip();
        String hint = root instanceof IOException || root instanceof RedisConnectionException
                ? " (is Redis running? set " + RedissonProvider.REDIS_URL.flag() + " or " + RedissonProvider.REDIS_URL.env() + ")"
                : " (set " + RedissonProvider.REDIS_URL.flag() + " or " + RedissonProvider.REDIS_URL.env() + ")";
        return new UsageException("cannot connect to redis at " + withoutPassword(address.url()) + " for " + address.name()
                + ": " + reason + hint, e);
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

    /** Redisson's token counter of each name, which it never expires. */
    @Override
    public void forgetLeases(java.util.Collection<String> names) {
        if (names.isEmpty()) return;
        try {
            client.getKeys().delete(names.stream().map(n -> "redisson_lock_token:{" + LOCK_NAMESPACE + n + "}").toArray(String[]::new));
        } catch (RuntimeException e) {
            throw StoreErrors.failure(name(), "forget leases " + names, e.getMessage(), e, false);
        }
    }

    /** An RLock, renewed by the watchdog; its lease has fence 0: RLock carries no token. */
    @Override
    public Optional<Lease> tryLease(String leaseName, Duration ttl) {
        return take(leaseName, ttl, false);
    }

    /** An RFencedLock, renewed by the watchdog; the fence is its token, an INCR that starts at 1. */
    @Override
    public Optional<Lease> tryFencedLease(String leaseName, Duration ttl) {
        return take(leaseName, ttl, true);
    }

    private Optional<Lease> take(String leaseName, Duration ttl, boolean fenced) {
        if (ttl.toMillis() < 1) throw new IllegalArgumentException("a lease needs a TTL of at least 1 ms, was " + ttl);
        String token = UUID.randomUUID().toString();
        // Held by this store already, perhaps by this very thread: Redisson would grant it again.
        if (heldNames.putIfAbsent(leaseName, token) != null) return Optional.empty();
        boolean taken = false;
        String operation = "take " + (fenced ? "fenced " : "") + "lease " + leaseName;
        try {
            long fence;
            RLock lock;
            if (fenced) {
                RFencedLock fencedLock = client.getFencedLock(LOCK_NAMESPACE + leaseName);
                lock = fencedLock;
                // No wait and no lease time: one attempt, then the watchdog renews it
                Long grant = fencedLock.tryLockAndGetToken(0, TimeUnit.MILLISECONDS);
                if (grant == null) return Optional.empty();
                fence = grant;
            } else {
                lock = client.getLock(LOCK_NAMESPACE + leaseName);
                if (!lock.tryLock(0, TimeUnit.MILLISECONDS)) return Optional.empty();
                fence = 0;
            }
            taken = true;
            byToken.put(token, new Held(leaseName, lock, Thread.currentThread().threadId()));
            return Optional.of(new Lease(leaseName, token, fence));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw StoreErrors.failure(name, operation, "interrupted", e, true);
        } catch (RedisException e) {
            throw failure(operation, e);
        } finally {
            if (!taken) heldNames.remove(leaseName, token);
        }
    }

    /**
     * Unlocks only a lease this store granted and still holds, naming the thread that took it,
     * as Redisson requires. Redisson answers IllegalMonitorStateException when the lock is no
     * longer that thread's (it expired unrenewed and maybe passed on): false, like any token
     * this store does not hold.
     */
    @Override
    public boolean releaseLease(Lease lease) {
        Held held = byToken.get(lease.token());
        if (held == null || !held.name().equals(lease.name())) return false;
        if (!byToken.remove(lease.token(), held)) return false; // a concurrent release of the same lease won
        try {
            held.lock().unlockAsync(held.threadId()).toCompletableFuture().join();
            return true;
        } catch (CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof IllegalMonitorStateException) return false;
            String operation = "release lease " + lease.name();
            if (cause instanceof RedisException r) throw failure(operation, r);
            throw StoreErrors.failure(name, operation, String.valueOf(cause.getMessage()), cause, true);
        } catch (IllegalMonitorStateException e) {
            return false;
        } catch (RedisException e) {
            throw failure("release lease " + lease.name(), e);
        } finally {
            // Even when the unlock failed: Redisson has stopped renewing it, so it expires.
            heldNames.remove(lease.name(), lease.token());
        }
    }

    /**
     * One exception naming the operation. A lock may have been taken or given back unless the
     * command never left this client (no connection, the client shut down).
     */
    private StoreException failure(String operation, RedisException e) {
        boolean neverSent = e instanceof RedisConnectionException || e instanceof RedissonShutdownException;
        return StoreErrors.failure(name, operation, String.valueOf(e.getMessage()), e, !neverSent);
    }

    /**
     * Shuts the client down, so a worker JVM can exit. Leases still held are not unlocked: the
     * watchdog stops with the client, so they expire {@code lease-ttl-ms} later.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        byToken.clear();
        heldNames.clear();
        client.shutdown();
    }
}
