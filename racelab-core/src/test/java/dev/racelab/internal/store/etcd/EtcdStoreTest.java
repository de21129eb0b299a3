package dev.racelab.internal.store.etcd;

import dev.racelab.store.Store;
import dev.racelab.store.contract.ContractFor;
import dev.racelab.store.testkit.LeasesContract;
import dev.racelab.testing.TestStores;
import org.junit.jupiter.api.Nested;

/**
 * The role contracts of etcd: leases only. etcd at RACELAB_ETCD_URL, or the one racelab starts on
 * loopback (/usr/bin/etcd, Debian's etcd-server) when none is given. A silent holder's lease is
 * the contract's own: a short lease nobody renews (etcd raises 1 s to its minimum, about 2 s).
 */
@ContractFor("etcd")
class EtcdStoreTest {
    @Nested
    class Leases extends LeasesContract {
        @Override
        protected Store openStore() {
            return TestStores.open("etcd");
        }
    }
}
