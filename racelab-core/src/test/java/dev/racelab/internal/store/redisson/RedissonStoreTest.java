package dev.racelab.internal.store.redisson;

import dev.racelab.store.Layout;
import dev.racelab.store.Lease;
import dev.racelab.store.LeaseStore;
import dev.racelab.store.Store;
import dev.racelab.store.StoreAddress;
import dev.racelab.store.contract.ContractFor;
import dev.racelab.store.testkit.LeasesContract;
import dev.racelab.testing.TestStores;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Nested;

/** The role contracts of redisson: Redisson's locks on this machine's Redis (127.0.0.1:6379, or RACELAB_REDIS_URL). Leases only. */
@ContractFor("redisson")
class RedissonStoreTest {
    private static final String STORE = "redisson";

    @Nested
    class Leases extends LeasesContract {
        @Override
        protected Store openStore() {
            return TestStores.open(STORE);
        }

        /**
         * Redisson's watchdog renews a lock while its client lives, so the silent holder is a
         * second client with a 1 s watchdog that takes the lease and then shuts down without
         * unlocking: nobody renews the key, and Redis expires it within that second.
         */
        @Override
        protected Lease takeALeaseWhoseHolderFallsSilent(LeaseStore leases, String name) {
            StoreAddress shortWatchdog = new StoreAddress(STORE, TestStores.byName(STORE).url(), Map.of("lease-ttl-ms", "1000"));
            Store holder = TestStores.open(shortWatchdog, Layout.KEYED, 1);
            try {
                return holder.as(LeaseStore.class).tryLease(name, Duration.ofSeconds(30)).orElseThrow();
            } finally {
                holder.close();
            }
        }
    }
}
