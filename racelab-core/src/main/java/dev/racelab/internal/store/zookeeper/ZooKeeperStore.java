package dev.racelab.internal.store.zookeeper;

import dev.racelab.core.StoreException;
import dev.racelab.core.UsageException;
import dev.racelab.store.Capability;
import dev.racelab.store.Lease;
import dev.racelab.store.LeaseStore;
import dev.racelab.store.StoreAddress;
import dev.racelab.store.StoreErrors;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.RetryNTimes;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;

/**
 * Leases on ZooKeeper, through Curator, and no other role. A lease on {@code name} is the
 * ephemeral znode {@code /racelab/leases/<name, percent-encoded>} ({@link LeasePaths}) whose
 * data is the grant's random token; racelab touches no other node.
 *
 * <p><b>The recipe</b> is a lock node of racelab's own: a grant is one {@code create} of that
 * node. Whoever creates it holds the lease; a second create, from any client, any thread or
 * this very one, fails with NodeExists, so the lease is not reentrant and a lost race is
 * reported as empty without writing anything or waiting. Curator's InterProcessMutex is thread
 * bound and reentrant, and the contract wants neither; InterProcessSemaphoreMutex is neither,
 * but a grant there takes an inner lock, a lease node and a release of the lock (five or six
 * round trips, and acquiring with no wait can still queue on the inner lock), and its lease
 * node's sequence number, the only fence it could give, restarts when its parent is deleted.
 * Curator here keeps the connection and the session (it opens a new session when one expires)
 * and reports their state; the lease's own operations run on the raw ZooKeeper handle of the
 * session that created the node, with no retries, so a retry can never act on another session.
 *
 * <p><b>The fence</b> is the node's czxid: the zxid of the transaction that created it.
 * ZooKeeper puts every write of the ensemble in one order and numbers it with a zxid (the
 * leader's epoch in the high 32 bits, a counter in the low ones) larger than every zxid before
 * it, across leader elections too, and never reuses one. A grant on a name is a new create of
 * its node, made after the node of the holder before was deleted, so each grant's czxid is
 * larger than the last: fences only grow, for every name, without a counter of racelab's that
 * could be lost or reset (a sequential node's number restarts when its parent is recreated).
 * A create is a transaction, so the fence is at least 1.
 *
 * <p><b>Time to live.</b> The lease lasts as long as the ZooKeeper session that created it:
 * the node is ephemeral, so the server deletes it when the holder releases it, closes the
 * store, or falls silent for longer than the session timeout. The session timeout is the
 * address option {@value #SESSION_TIMEOUT_OPTION} (default {@value #DEFAULT_SESSION_TIMEOUT_MS}
 * ms), as the server negotiates it ({@link #negotiatedSessionTimeout()}); the {@code ttl}
 * given to {@link #tryLease} is ignored when it differs, because a lease cannot outlive its
 * session nor be cut short while the session lives.
 *
 * <p><b>Session loss.</b> When Curator reports the connection SUSPENDED or the session LOST,
 * every lease this store holds is marked lost: {@link #holds} turns false, so a holder that
 * checks it does not carry on, and {@link #releaseLease} returns false. Once the connection is
 * back with the same session (RECONNECTED), the nodes of those lost leases, which the session
 * still owns, are deleted so that they do not block the name until the session ends; after a
 * new session, the server has deleted them or soon will.
 */
public final class ZooKeeperStore implements LeaseStore {
    static final String SESSION_TIMEOUT_OPTION = StoreAddress.LEASE_TTL_MS;
    static final int DEFAULT_SESSION_TIMEOUT_MS = 10_000;
    /** How long opening waits for a connection, and a call for a connection that is being re-established. */
    static final int CONNECT_TIMEOUT_MS = 3_000;

    private static final Set<Capability> CAPABILITIES = Set.of(Capability.LEASE);
    /** HOST[:PORT] (an IPv6 host in brackets), comma separated, then an optional chroot path: not a URL with a scheme. */
    private static final Pattern CONNECT_STRING = Pattern.compile(
            "(\\[[0-9A-Fa-f:.]+]|[^/,:\\s\\[\\]]+)(:\\d+)?(,(\\[[0-9A-Fa-f:.]+]|[^/,:\\s\\[\\]]+)(:\\d+)?)*(/\\S*)?");
    private static final String NAME = "zookeeper";

    private final String url;
    private final CuratorFramework client;
    /** The grants this store made that are not yet released or cleaned up, by token. */
    private final Map<String, Held> held = new ConcurrentHashMap<>();
    /** Deletes the nodes of lost leases once reconnected: not on Curator's event thread, which must not block. */
    private final java.util.concurrent.ScheduledExecutorService cleanup = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("racelab-zookeeper-cleanup").factory());
    /** Guards {@link #suspensions} and marking grants lost, so a grant made across a suspension is never missed. */
    private final Object stateLock = new Object();
    private long suspensions;
    private volatile Duration negotiatedSessionTimeout;
    private volatile boolean closed;

    /** One grant: the handle of the session that created its node, whose ephemeral owner that session is. */
    private static final class Held {
        final String name;
        final String path;
        final String token;
        final ZooKeeper zk;
        final long fence;
        volatile boolean lost;

        Held(String name, String path, String token, ZooKeeper zk, long fence) {
            this.name = name;
            this.path = path;
            this.token = token;
            this.zk = zk;
            this.fence = fence;
        }
    }

    private ZooKeeperStore(String url, CuratorFramework client) {
        this.url = url;
        this.client = client;
    }

    /**
     * Connects and waits up to {@value #CONNECT_TIMEOUT_MS} ms for the session, so an
     * unreachable server fails at once, as a usage error in one line.
     */
    public static ZooKeeperStore open(StoreAddress address) {
        int sessionTimeoutMs = sessionTimeoutMs(address);
        if (!CONNECT_STRING.matcher(address.url()).matches()) {
            throw new UsageException("zookeeper: '" + address.url() + "' is not a ZooKeeper connect string (" + ZooKeeperProvider.URL.flag()
                    + ", " + ZooKeeperProvider.URL.env() + "): HOST:PORT[,HOST:PORT...][/CHROOT], e.g. 127.0.0.1:2181");
        }
        CuratorFramework client;
        try {
            client = CuratorFrameworkFactory.builder()
                    .connectString(address.url())
                    .sessionTimeoutMs(sessionTimeoutMs)
                    // Curator warns of a session shorter than its connection timeout.
                    .connectionTimeoutMs(Math.min(CONNECT_TIMEOUT_MS, sessionTimeoutMs))
                    // No retries: a retried create could find its own node and call it someone
                    // else's, a retried delete could run on a newer session. Every call is tried once.
                    .retryPolicy(new RetryNTimes(0, 0))
                    .ensembleTracker(false)
                    .build();
            client.start();
        } catch (RuntimeException e) {
            throw new UsageException("zookeeper: bad ZooKeeper connect string '" + address.url() + "' (" + ZooKeeperProvider.URL.flag()
                    + ", " + ZooKeeperProvider.URL.env() + "): " + e.getMessage(), e);
        }
        ZooKeeperStore store = new ZooKeeperStore(address.url(), client);
        client.getConnectionStateListenable().addListener((c, state) -> store.stateChanged(state));
        // Also on a timer: a RECONNECTED that came before a lost grant was recorded would leave its
        // node in place, and its name blocked, for as long as this session lives.
        store.cleanup.scheduleWithFixedDelay(store::sweepLostGrants, 500, 500, java.util.concurrent.TimeUnit.MILLISECONDS);
        boolean connected;
        try {
            connected = client.blockUntilConnected(CONNECT_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            connected = false;
        }
        if (!connected) {
            store.close();
            throw new UsageException("zookeeper: cannot reach ZooKeeper at " + address.url() + " within " + CONNECT_TIMEOUT_MS / 1000
                    + " s; start it (bin/start-services) or point " + ZooKeeperProvider.URL.flag() + " / "
                    + ZooKeeperProvider.URL.env() + " at one");
        }
        try {
            ZooKeeper zk = client.getZookeeperClient().getZooKeeper();
            store.negotiatedSessionTimeout = Duration.ofMillis(zk.getSessionTimeout());
            ZKPaths.mkdirs(zk, LeasePaths.ROOT);
        } catch (Exception e) {
            store.close();
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            throw StoreErrors.failure(NAME, "open", "could not create " + LeasePaths.ROOT + " at " + address.url() + ": " + e, e, false);
        }
        return store;
    }

    private static int sessionTimeoutMs(StoreAddress address) {
        String value = address.option(SESSION_TIMEOUT_OPTION, Integer.toString(DEFAULT_SESSION_TIMEOUT_MS));
        try {
            int ms = Integer.parseInt(value.trim());
            if (ms > 0) return ms;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("zookeeper: the option " + SESSION_TIMEOUT_OPTION + " must be a positive number of milliseconds, was '"
                + value + "'");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    @Override
    public String identity() {
        return NAME + "@" + Integer.toHexString(url.hashCode());
    }

    /**
     * The session timeout the server granted: the one asked for ({@value #SESSION_TIMEOUT_OPTION}),
     * brought into the server's [minSessionTimeout, maxSessionTimeout]. How long a silent holder
     * keeps its leases. Read when the session was made; a new session (after one expired) may differ.
     */
    public Duration negotiatedSessionTimeout() {
        return negotiatedSessionTimeout;
    }

    /**
     * Takes the lease if nobody holds it; empty when someone does (even this thread). One
     * round trip, never waits. {@code ttl} does not apply: the lease lasts as long as this
     * store's session (see the class comment); it must still be positive. Always fenced.
     */
    @Override
    public Optional<Lease> tryLease(String leaseName, Duration ttl) {
        Objects.requireNonNull(leaseName, "leaseName");
        if (ttl.toMillis() < 1) throw new IllegalArgumentException("a lease needs a TTL of at least 1 ms, was " + ttl);
        String path = LeasePaths.of(leaseName);
        String token = UUID.randomUUID().toString();
        long seen;
        synchronized (stateLock) {
            seen = suspensions;
        }
        ZooKeeper zk = handle("take lease " + leaseName);
        Stat stat = new Stat();
        try {
            create(zk, path, token, stat);
        } catch (KeeperException.NodeExistsException e) {
            return Optional.empty();
        } catch (KeeperException.SessionExpiredException | KeeperException.SessionMovedException e) {
            // This client's session ended (it was paused, or cut off): no node was made. Not granted
            // now; the caller's backoff tries again on the new session.
            renewSession(zk);
            return Optional.empty();
        } catch (KeeperException.ConnectionLossException | KeeperException.OperationTimeoutException e) {
            // The create may have landed: if it did, the session owns a node nobody holds.
            // Kept as a lost grant, its node is deleted once the connection is back.
            if (zk.getState().isAlive()) held.put(token, lost(new Held(leaseName, path, token, zk, 0)));
            throw failure("take lease " + leaseName, e, true);
        } catch (KeeperException e) {
            throw failure("take lease " + leaseName, e, false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (zk.getState().isAlive()) held.put(token, lost(new Held(leaseName, path, token, zk, 0)));
            throw failure("take lease " + leaseName, e, true);
        }
        Held grant = new Held(leaseName, path, token, zk, stat.getCzxid());
        boolean suspendedMeanwhile;
        synchronized (stateLock) {
            suspendedMeanwhile = suspensions != seen || closed;
            grant.lost = suspendedMeanwhile;
            held.put(token, grant);
        }
        if (suspendedMeanwhile) {
            throw StoreErrors.failure(NAME, "take lease " + leaseName, "the connection to ZooKeeper was suspended while the lease was"
                    + " being taken; its node is deleted once the connection is back", null, true);
        }
        return Optional.of(new Lease(leaseName, token, grant.fence));
    }

    /** The create, making {@link LeasePaths#ROOT} again if someone deleted it. */
    private static void create(ZooKeeper zk, String path, String token, Stat stat) throws KeeperException, InterruptedException {
        byte[] data = token.getBytes(StandardCharsets.UTF_8);
        try {
            zk.create(path, data, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL, stat);
        } catch (KeeperException.NoNodeException e) {
            ZKPaths.mkdirs(zk, LeasePaths.ROOT);
            zk.create(path, data, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL, stat);
        }
    }

    /**
     * Gives the lease back if this store granted {@code lease}, has not marked it lost, and its
     * node is still the one this grant's session created; false otherwise (a wrong token, a
     * lease released already, a session suspended, expired or replaced), never an error for those.
     */
    @Override
    public boolean releaseLease(Lease lease) {
        Held grant = held.get(lease.token());
        if (grant == null || !grant.name.equals(lease.name())) return false;
        if (grant.lost) {
            cleanUp(grant);
            return false;
        }
        if (!held.remove(lease.token(), grant)) return false;
        try {
            return deleteIfOwn(grant);
        } catch (KeeperException.ConnectionLossException | KeeperException.OperationTimeoutException e) {
            if (!grant.zk.getState().isAlive()) return false; // its session is over: the server deletes its node
            held.put(grant.token, lost(grant));
            throw failure("release lease " + lease.name(), e, true);
        } catch (KeeperException e) {
            return false; // SESSIONEXPIRED and the like: the session that held it is gone, and its node with it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            held.put(grant.token, lost(grant));
            throw failure("release lease " + lease.name(), e, true);
        }
    }

    /**
     * True while {@code lease} is a grant of this store that is not released, not marked lost
     * and whose session is connected: as far as this client knows, without asking the server.
     * A holder checks it before acting on what the lease protects.
     */
    public boolean holds(Lease lease) {
        Held grant = held.get(lease.token());
        return grant != null && !grant.lost && !closed && grant.name.equals(lease.name()) && grant.zk.getState().isConnected();
    }

    /**
     * Deletes the grant's node if it is still the one its session created: owned by the
     * session of {@code grant.zk} and holding its token. Both calls go over that one handle, so
     * they run on that session or fail; the node cannot change in between, because only its
     * session's end or this store deletes it.
     */
    private static boolean deleteIfOwn(Held grant) throws KeeperException, InterruptedException {
        Stat stat = new Stat();
        byte[] data;
        try {
            data = grant.zk.getData(grant.path, false, stat);
        } catch (KeeperException.NoNodeException e) {
            return false;
        }
        boolean own = stat.getEphemeralOwner() == grant.zk.getSessionId()
                && Arrays.equals(data, grant.token.getBytes(StandardCharsets.UTF_8))
                && (grant.fence == 0 || stat.getCzxid() == grant.fence);
        if (!own) return false;
        try {
            grant.zk.delete(grant.path, stat.getVersion());
            return true;
        } catch (KeeperException.NoNodeException | KeeperException.BadVersionException e) {
            return false;
        }
    }

    /** Deletes a lost grant's node if its session still owns it; forgets the grant once that is settled. */
    private void cleanUp(Held grant) {
        if (!grant.zk.getState().isAlive()) {
            held.remove(grant.token, grant); // a session that is over has no nodes left to delete
            return;
        }
        try {
            deleteIfOwn(grant);
            held.remove(grant.token, grant);
        } catch (KeeperException.ConnectionLossException | KeeperException.OperationTimeoutException e) {
            // still disconnected: the next RECONNECTED tries again
        } catch (KeeperException e) {
            held.remove(grant.token, grant);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void sweepLostGrants() {
        try {
            if (client.getZookeeperClient().isConnected()) held.values().stream().filter(g -> g.lost).forEach(this::cleanUp);
        } catch (RuntimeException e) {
            // the next sweep tries again
        }
    }

    private void stateChanged(ConnectionState state) {
        switch (state) {
            case SUSPENDED, LOST -> markAllLost();
            case RECONNECTED -> {
                recordSessionTimeout();
                try {
                    cleanup.execute(() -> held.values().stream().filter(g -> g.lost).forEach(this::cleanUp));
                } catch (RejectedExecutionException e) {
                    // closed meanwhile: closing ends the session, and its nodes with it
                }
            }
            default -> {
            }
        }
    }

    private void markAllLost() {
        synchronized (stateLock) {
            suspensions++;
            held.values().forEach(g -> g.lost = true);
        }
    }

    private void recordSessionTimeout() {
        try {
            ZooKeeper zk = client.getZookeeperClient().getZooKeeper();
            if (zk.getSessionTimeout() > 0) negotiatedSessionTimeout = Duration.ofMillis(zk.getSessionTimeout());
        } catch (Exception e) {
            // keep the last one known; the next call reports what is wrong
        }
    }

    /**
     * Makes sure a new session replaces an expired one. Curator opens one when it sees the expiry
     * event; under load that event can come late, and until then every call meets the dead handle.
     */
    private void renewSession(ZooKeeper expired) {
        synchronized (stateLock) {
            try {
                if (!closed && !expired.getState().isAlive() && client.getZookeeperClient().getZooKeeper() == expired) {
                    client.getZookeeperClient().reset();
                }
            } catch (Exception e) {
                if (e instanceof InterruptedException) Thread.currentThread().interrupt();
                // the next call tries again
            }
        }
    }

    private static Held lost(Held grant) {
        grant.lost = true;
        return grant;
    }

    /** The handle of the current session (Curator replaces it when a session expires). */
    private ZooKeeper handle(String operation) {
        if (closed) throw StoreErrors.failure(NAME, operation, "the store is closed", null, false);
        try {
            return client.getZookeeperClient().getZooKeeper();
        } catch (Exception e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            throw StoreErrors.failure(NAME, operation, String.valueOf(e), e, false);
        }
    }

    private StoreException failure(String operation, Exception e, boolean maybeApplied) {
        String detail = e instanceof KeeperException k ? k.code() + " at " + url : e.toString();
        return StoreErrors.failure(NAME, operation, detail, e, maybeApplied);
    }

    /**
     * For tests: ends this client's session the way a crashed holder's ends. The client drops
     * its connection without closing the session (ZooKeeper's Testable.injectSessionExpiration),
     * so the server ends the session, and deletes its nodes, only once the session timeout has
     * passed with no word from it. Curator reports LOST, which marks this store's leases lost,
     * and opens a new session.
     */
    public void dropSessionAbruptly() {
        handle("drop session").getTestable().injectSessionExpiration();
    }

    /** The id of the current session, for tests that tell one session from the next. */
    long sessionId() {
        return handle("session id").getSessionId();
    }

    /**
     * Closes the Curator client, which closes the session: the server deletes its ephemeral
     * nodes, so nothing is released one by one.
     */
    @Override
    public void close() {
        synchronized (stateLock) {
            closed = true;
            held.values().forEach(g -> g.lost = true);
        }
        held.clear();
        cleanup.shutdownNow();
        client.close();
    }
}
