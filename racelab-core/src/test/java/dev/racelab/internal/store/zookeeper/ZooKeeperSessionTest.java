package dev.racelab.internal.store.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racelab.core.StoreException;
import dev.racelab.store.Lease;
import dev.racelab.internal.settings.Provisioned;
import dev.racelab.store.StoreAddress;
import dev.racelab.internal.settings.StoreSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a ZooKeeper session means for a lease, on an in-process ZooKeeper of this class's own
 * (so its session bounds are known, whatever RACELAB_ZOOKEEPER_URL says): a holder whose
 * session ends loses its lease to the next client, with a larger fence; a suspended connection
 * marks leases lost and, once back, frees their nodes; the session timeout is the one asked,
 * within the server's bounds.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ZooKeeperSessionTest {
    private static Provisioned zookeeper;
    private final List<ZooKeeperStore> opened = new ArrayList<>();
    private final String name = "test-" + UUID.randomUUID() + "/lease:1";

    @BeforeAll
    static void startZooKeeper() {
        zookeeper = new ZooKeeperProvider().provision(StoreSettings.of(Map.of(), Map.of()));
    }

    @AfterAll
    static void stopZooKeeper() {
        zookeeper.close();
    }

    @AfterEach
    void closeStores() {
        opened.forEach(ZooKeeperStore::close);
    }

    private ZooKeeperStore open(Integer sessionTimeoutMs) {
        StoreAddress address = zookeeper.address();
        if (sessionTimeoutMs != null) {
            address = new StoreAddress(address.name(), address.url(),
                    Map.of(ZooKeeperStore.SESSION_TIMEOUT_OPTION, Integer.toString(sessionTimeoutMs)));
        }
        ZooKeeperStore store = ZooKeeperStore.open(address);
        opened.add(store);
        return store;
    }

    @Test
    void aHolderWhoseSessionExpiresLosesItsLeaseToTheNextClientWithALargerFence() {
        ZooKeeperStore holder = open(1_000);
        ZooKeeperStore next = open(null);
        Lease first = holder.tryFencedLease(name, Duration.ofSeconds(30)).orElseThrow();
        assertThat(holder.holds(first)).isTrue();
        assertThat(next.tryLease(name, Duration.ofSeconds(30))).as("held by the first client's session").isEmpty();
        long firstSession = holder.sessionId();

        holder.dropSessionAbruptly();

        awaitTrue(() -> !holder.holds(first), "the holder marks its lease lost once Curator reports its session LOST");
        assertThat(holder.releaseLease(first)).as("a lost lease is not released").isFalse();
        Lease second = await(() -> next.tryFencedLease(name, Duration.ofSeconds(30)),
                "the server deletes the node once the silent session times out");
        assertThat(second.fence()).as("a later grant's fence").isGreaterThan(first.fence());
        assertThat(next.holds(second)).isTrue();
        awaitTrue(() -> holder.sessionId() != firstSession && holder.sessionId() != 0, "Curator opens a new session");
        assertThat(holder.tryLease(name, Duration.ofSeconds(30))).as("the new session finds the lease held").isEmpty();
        assertThat(next.releaseLease(second)).isTrue();
        assertThat(next.holds(second)).isFalse();
        assertThat(holder.tryLease(name, Duration.ofSeconds(30))).as("the holder's new session can lease again").isPresent();
    }

    @Test
    void aSuspendedConnectionMarksLeasesLostAndFreesTheirNodesOnceItIsBack() throws Exception {
        // A session far longer than the test waits: what frees the lease is the store deleting
        // its node on RECONNECTED, not the session's expiry.
        ZooKeeperStore holder = open(60_000);
        ZooKeeperStore next = open(60_000);
        Lease lease = holder.tryFencedLease(name, Duration.ofSeconds(30)).orElseThrow();
        long session = holder.sessionId();
        EmbeddedZooKeeper server = (EmbeddedZooKeeper) zookeeper.server();

        server.stopServer();
        awaitTrue(() -> !holder.holds(lease), "SUSPENDED marks the lease lost");
        server.startServer();

        Lease taken = await(() -> {
            try {
                return next.tryFencedLease(name, Duration.ofSeconds(30));
            } catch (StoreException reconnecting) {
                return Optional.empty();
            }
        }, "the holder deletes its lost lease's node once reconnected");
        assertThat(holder.sessionId()).as("the same session came back, its node was deleted by the store").isEqualTo(session);
        assertThat(taken.fence()).isGreaterThan(lease.fence());
        assertThat(holder.releaseLease(lease)).isFalse();
        assertThat(next.releaseLease(taken)).isTrue();
    }

    @Test
    void theNegotiatedSessionTimeoutIsTheOneAskedWithinTheServersBounds() {
        assertThat(open(null).negotiatedSessionTimeout()).as("the default").isEqualTo(Duration.ofMillis(ZooKeeperStore.DEFAULT_SESSION_TIMEOUT_MS));
        assertThat(open(3_000).negotiatedSessionTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(open(1_000).negotiatedSessionTimeout()).as("the server's minimum").isEqualTo(Duration.ofSeconds(1));
        assertThat(open(60_000).negotiatedSessionTimeout()).as("the server's maximum").isEqualTo(Duration.ofSeconds(60));
        assertThat(open(200).negotiatedSessionTimeout()).as("below the bounds, raised to the minimum")
                .isEqualTo(Duration.ofMillis(ZooKeeperProvider.EMBEDDED_MIN_SESSION_TIMEOUT_MS));
        assertThat(open(120_000).negotiatedSessionTimeout()).as("above them, cut to the maximum")
                .isEqualTo(Duration.ofMillis(ZooKeeperProvider.EMBEDDED_MAX_SESSION_TIMEOUT_MS));
    }

    @Test
    void aLeaseIsNotReentrantAndItsNameMayHoldSlashesAndColons() {
        ZooKeeperStore store = open(null);
        Lease lease = store.tryLease("a/b:c", Duration.ofSeconds(30)).orElseThrow();
        Lease other = store.tryLease("a%2Fb%3Ac", Duration.ofSeconds(30)).orElseThrow(); // its encoding is another name
        assertThat(store.tryLease("a/b:c", Duration.ofSeconds(30))).as("the same thread again").isEmpty();
        assertThat(LeasePaths.of("a/b:c")).isEqualTo("/racelab/leases/a%2Fb%3Ac");
        assertThat(LeasePaths.of(".")).isEqualTo("/racelab/leases/%2E");
        assertThat(store.releaseLease(lease)).isTrue();
        assertThat(store.releaseLease(lease)).as("released already").isFalse();
        assertThat(store.releaseLease(other)).isTrue();
    }

    @Test
    void anUnreachableServerFailsFastInOneLineNamingTheUrlAndTheFlag() {
        long start = System.nanoTime();
        StoreAddress nowhere = new StoreAddress("zookeeper", "127.0.0.1:1");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ZooKeeperStore.open(nowhere))
                .isInstanceOf(dev.racelab.core.UsageException.class)
                .hasMessageContaining("127.0.0.1:1").hasMessageContaining("--zookeeper-url").hasMessageContaining("RACELAB_ZOOKEEPER_URL")
                .hasMessageNotContaining("\n");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ZooKeeperStore.open(new StoreAddress("zookeeper", "redis://127.0.0.1:6379")))
                .isInstanceOf(dev.racelab.core.UsageException.class).hasMessageContaining("not a ZooKeeper connect string");
    }

    private static <T> T await(Supplier<Optional<T>> attempt, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            Optional<T> got = attempt.get();
            if (got.isPresent()) return got.get();
            sleep();
        }
        throw new AssertionError("not within 15 s: " + what);
    }

    private static void awaitTrue(BooleanSupplier condition, String what) {
        await(() -> condition.getAsBoolean() ? Optional.of(true) : Optional.empty(), what);
    }

    private static void sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
