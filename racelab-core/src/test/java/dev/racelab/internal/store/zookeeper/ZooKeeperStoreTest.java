package dev.racelab.internal.store.zookeeper;

import dev.racelab.store.Layout;
import dev.racelab.store.Lease;
import dev.racelab.store.LeaseStore;
import dev.racelab.store.Store;
import dev.racelab.store.StoreAddress;
import dev.racelab.store.contract.ContractFor;
import dev.racelab.store.testkit.LeasesContract;
import dev.racelab.testing.TestStores;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;

/**
 * The role contracts of zookeeper: leases only. ZooKeeper at RACELAB_ZOOKEEPER_URL, or the one
 * racelab starts in-process (Curator's TestingServer) when none is given.
 */
@ContractFor("zookeeper")
class ZooKeeperStoreTest {
    private static final String STORE = "zookeeper";

    @Nested
    class Leases extends LeasesContract {
        private final List<ZooKeeperStore> silentHolders = new ArrayList<>();

        @Override
        protected Store openStore() {
            return TestStores.open(STORE);
        }

        /**
         * A second client, with the shortest session the server allows (1 s asked), takes the
         * lease, then drops its connection without closing its session, as a crashed holder
         * does: the server deletes its node once that session times out.
         */
        @Override
        protected Lease takeALeaseWhoseHolderFallsSilent(LeaseStore leases, String name) {
            StoreAddress shared = TestStores.byName(STORE);
            Map<String, String> options = new HashMap<>(shared.options());
            options.put(StoreAddress.LEASE_TTL_MS, "1000");
            ZooKeeperStore holder = (ZooKeeperStore) TestStores.open(new StoreAddress(shared.name(), shared.url(), options), Layout.KEYED, 1);
            silentHolders.add(holder);
            Lease lease = holder.tryLease(name, Duration.ofSeconds(30)).orElseThrow();
            holder.dropSessionAbruptly();
            return lease;
        }

        @AfterEach
        void closeSilentHolders() {
            silentHolders.forEach(ZooKeeperStore::close);
        }
    }
}
