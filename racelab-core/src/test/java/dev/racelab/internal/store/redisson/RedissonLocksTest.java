package dev.racelab.internal.store.redisson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.racelab.core.UsageException;
import dev.racelab.store.Lease;
import dev.racelab.store.StoreAddress;
import dev.racelab.testing.TestStores;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;

/**
 * What the redisson store adds to the lease contract: its fences come from one counter per
 * name that every client shares, its watchdog keeps a living holder's lease past the timeout,
 * neither recipe is reentrant, and a lease that expired under its holder releases nothing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedissonLocksTest {
    private static final Duration TTL = Duration.ofSeconds(30);

    private StoreAddress address;
    private String prefix;
    /** Redisson without racelab, to look at and tamper with the keys. */
    private RedissonClient raw;

    @BeforeEach
    void setUp() {
        address = TestStores.byName("redisson");
        prefix = TestStores.uniquePrefix();
        raw = Redisson.create(RedissonStore.config(address, 1));
    }

    @AfterEach
    void tearDown() {
        raw.shutdown();
    }

    private String key(String name) {
        return prefix + name;
    }

    private static StoreAddress withWatchdog(StoreAddress address, long ms) {
        return new StoreAddress(address.name(), address.url(), Map.of(RedissonStore.LEASE_TTL_OPTION, Long.toString(ms)));
    }

    @Test
    void fencesGrowAcrossTwoStoresAndStartAtOne() {
        try (RedissonStore a = RedissonStore.open(address, 1); RedissonStore b = RedissonStore.open(address, 1)) {
            Lease first = a.tryFencedLease(key("lock"), TTL).orElseThrow();
            assertThat(first.fence()).as("Redisson's first token on a new name").isEqualTo(1);
            assertThat(b.tryFencedLease(key("lock"), TTL)).as("held by the other store").isEmpty();
            assertThat(b.tryLease(key("lock"), TTL)).as("the plain lock of that name is the same key").isEmpty();
            assertThat(a.releaseLease(first)).isTrue();

            Lease second = b.tryFencedLease(key("lock"), TTL).orElseThrow();
            assertThat(second.fence()).as("one counter per name for every client").isEqualTo(first.fence() + 1);
            assertThat(a.tryFencedLease(key("lock"), TTL)).isEmpty();
            assertThat(b.releaseLease(second)).isTrue();
            assertThat(a.releaseLease(second)).as("a token the other store granted").isFalse();
        }
    }

    @Test
    void neitherRecipeIsReentrantAndTheyExcludeEachOther() throws Exception {
        try (RedissonStore store = RedissonStore.open(address, 2)) {
            Lease plain = store.tryLease(key("plain"), TTL).orElseThrow();
            assertThat(plain.fenced()).as("RLock has no token").isFalse();
            assertThat(store.tryLease(key("plain"), TTL)).as("the holding thread again").isEmpty();
            assertThat(store.tryFencedLease(key("plain"), TTL)).as("the fenced lock of a held name").isEmpty();
            assertThat(CompletableFuture.supplyAsync(() -> store.tryLease(key("plain"), TTL)).get(30, TimeUnit.SECONDS))
                    .as("another thread of the same store").isEmpty();

            Lease fenced = store.tryFencedLease(key("fenced"), TTL).orElseThrow();
            long tokenBefore = raw.getAtomicLong(tokenKey(key("fenced"))).get();
            assertThat(store.tryFencedLease(key("fenced"), TTL)).as("the holding thread again").isEmpty();
            assertThat(store.tryLease(key("fenced"), TTL)).isEmpty();
            assertThat(raw.getAtomicLong(tokenKey(key("fenced"))).get()).as("a refused grant draws no token").isEqualTo(tokenBefore);
            assertThat(raw.<String, String>getMap(RedissonStore.LOCK_NAMESPACE + key("fenced")).readAllMap().values())
                    .as("Redisson counted one hold, by one thread").containsExactly("1");

            assertThat(store.releaseLease(plain)).isTrue();
            assertThat(store.releaseLease(plain)).as("released twice").isFalse();
            assertThat(store.releaseLease(fenced)).isTrue();
            assertThat(raw.getLock(RedissonStore.LOCK_NAMESPACE + key("plain")).isLocked()).isFalse();
            assertThat(raw.getLock(RedissonStore.LOCK_NAMESPACE + key("fenced")).isLocked()).isFalse();
        }
    }

    @Test
    void theLockKeysAreUnderRacelabsNamespace() {
        try (RedissonStore store = RedissonStore.open(address, 1)) {
            Lease lease = store.tryFencedLease(key("lock"), TTL).orElseThrow();
            assertThat(raw.getKeys().countExists(RedissonStore.LOCK_NAMESPACE + key("lock"))).isEqualTo(1);
            // Redisson names the fence counter after the lock; racelab cannot rename it
            assertThat(raw.getKeys().countExists(tokenKey(key("lock")))).isEqualTo(1);
            assertThat(store.releaseLease(lease)).isTrue();
        }
    }

    @Test
    void theWatchdogKeepsALivingHoldersLeasePastItsTimeout() {
        try (RedissonStore holder = RedissonStore.open(withWatchdog(address, 1000), 1);
                RedissonStore other = RedissonStore.open(address, 1)) {
            Lease lease = holder.tryLease(key("lock"), Duration.ofMillis(100)).orElseThrow();
            long ttl = raw.getLock(RedissonStore.LOCK_NAMESPACE + key("lock")).remainTimeToLive();
            assertThat(ttl).as("the key lives lease-ttl-ms, not the caller's ttl").isBetween(101L, 1000L);
            // three watchdog timeouts: without renewal the key would be gone after the first
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(3000);
            while (System.nanoTime() < until) {
                assertThat(other.tryLease(key("lock"), TTL)).as("renewed while its holder lives").isEmpty();
                sleep(100);
            }
            assertThat(holder.releaseLease(lease)).isTrue();
            Lease next = other.tryLease(key("lock"), TTL).orElseThrow();
            assertThat(other.releaseLease(next)).isTrue();
        }
    }

    @Test
    void aLeaseThatExpiredUnderItsHolderReleasesNothing() {
        try (RedissonStore a = RedissonStore.open(address, 1); RedissonStore b = RedissonStore.open(address, 1)) {
            Lease stale = a.tryFencedLease(key("lock"), TTL).orElseThrow();
            // what an expiry does to the key, without waiting for one
            assertThat(raw.getKeys().delete(RedissonStore.LOCK_NAMESPACE + key("lock"))).isEqualTo(1);
            Lease current = b.tryFencedLease(key("lock"), TTL).orElseThrow();
            assertThat(current.fence()).isGreaterThan(stale.fence());
            assertThat(a.releaseLease(stale)).as("Redisson refuses the unlock: no longer its holder").isFalse();
            assertThat(raw.getLock(RedissonStore.LOCK_NAMESPACE + key("lock")).isLocked()).as("the new holder's lock stays").isTrue();
            assertThat(a.tryFencedLease(key("lock"), TTL)).isEmpty();
            assertThat(b.releaseLease(current)).isTrue();
        }
    }

    @Test
    void aLeaseMayBeReleasedFromAnotherThread() throws Exception {
        try (RedissonStore store = RedissonStore.open(address, 2)) {
            Lease lease = store.tryLease(key("lock"), TTL).orElseThrow();
            assertThat(CompletableFuture.supplyAsync(() -> store.releaseLease(lease)).get(30, TimeUnit.SECONDS)).isTrue();
            assertThat(raw.getLock(RedissonStore.LOCK_NAMESPACE + key("lock")).isLocked()).isFalse();
        }
    }

    @Test
    void aClosedStoreReleasesNothingAndItsLeasesExpire() {
        RedissonStore holder = RedissonStore.open(withWatchdog(address, 500), 1);
        Lease lease = holder.tryLease(key("lock"), TTL).orElseThrow();
        holder.close();
        holder.close();
        assertThat(holder.releaseLease(lease)).isFalse();
        try (RedissonStore next = RedissonStore.open(address, 1)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            Optional<Lease> taken = Optional.empty();
            while (taken.isEmpty() && System.nanoTime() < deadline) {
                sleep(50);
                taken = next.tryLease(key("lock"), TTL);
            }
            assertThat(taken).as("expired 500 ms after its client shut down").isPresent();
            assertThat(next.releaseLease(taken.get())).isTrue();
        }
    }

    @Test
    void anUnreachableServerFailsTheOpenInOneLineNamingTheUrlAndTheFlag() {
        StoreAddress nowhere = new StoreAddress("redisson", "redis://:secret@127.0.0.1:1");
        long started = System.nanoTime();
        assertThatThrownBy(() -> RedissonStore.open(nowhere, 1)).isInstanceOf(UsageException.class)
                .hasMessageStartingWith("cannot connect to redis at redis://***@127.0.0.1:1")
                .hasMessageContaining("--redis-url").hasMessageContaining("RACELAB_REDIS_URL")
                .hasMessageNotContaining("secret").hasMessageNotContaining("\n");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aBadUrlOrWatchdogTimeoutIsAUsageError() {
        assertThatThrownBy(() -> RedissonStore.open(new StoreAddress("redisson", "http://127.0.0.1:6379"), 1))
                .isInstanceOf(UsageException.class).hasMessageContaining("bad redis url");
        assertThatThrownBy(() -> RedissonStore.open(withWatchdog(address, 5), 1))
                .isInstanceOf(UsageException.class).hasMessageContaining("lease-ttl-ms");
    }

    private static String tokenKey(String leaseName) {
        return "redisson_lock_token:{" + RedissonStore.LOCK_NAMESPACE + leaseName + "}";
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
