package dev.racelab.internal.store.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racelab.store.Layout;
import dev.racelab.store.Lease;
import dev.racelab.store.LeaseStore;
import dev.racelab.store.StoreAddress;
import dev.racelab.testing.TestStores;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A lab's etcd caps every lease (--etcd-max-lease-ttl-ms), as a ZooKeeper ensemble's
 * maxSessionTimeout caps its sessions: a lease asked for 30 s under a cap of 1 s passes to the
 * next client within seconds, while a lease of 30 s from an uncapped client is still held then.
 */
class EtcdLeaseTtlCapTest {
    @Test
    void aCappedLeaseRunsOutAtTheCapAndAnUncappedOneDoesNot() throws Exception {
        StoreAddress shared = TestStores.byName("etcd");
        Map<String, String> capped = new HashMap<>(shared.options());
        capped.put(EtcdStore.MAX_LEASE_TTL_OPTION, "1000");
        String prefix = TestStores.uniquePrefix();
        try (LeaseStore cappedStore = (LeaseStore) TestStores.open(new StoreAddress(shared.name(), shared.url(), capped), Layout.KEYED, 1);
             LeaseStore plain = (LeaseStore) TestStores.open(shared, Layout.KEYED, 1)) {
            Lease short1 = cappedStore.tryLease(prefix + "capped", Duration.ofSeconds(30)).orElseThrow();
            Lease long1 = plain.tryLease(prefix + "uncapped", Duration.ofSeconds(30)).orElseThrow();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            Optional<Lease> next = Optional.empty();
            while (next.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(100);
                next = plain.tryLease(prefix + "capped", Duration.ofSeconds(30));
            }
            assertThat(next).as("the capped lease ran out at etcd's minimum TTL, not after 30 s").isPresent();
            assertThat(plain.tryLease(prefix + "uncapped", Duration.ofSeconds(30))).as("the uncapped lease of 30 s is still held").isEmpty();
            assertThat(cappedStore.releaseLease(short1)).as("the capped holder no longer owns it").isFalse();
            assertThat(plain.releaseLease(next.get())).isTrue();
            assertThat(plain.releaseLease(long1)).isTrue();
        }
    }
}
