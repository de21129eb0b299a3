package dev.racelab.store.contract;

import org.junit.jupiter.api.Nested;

/**
 * The role contracts of etcd: leases only. etcd at RACELAB_ETCD_URL, or the one-member etcd
 * racelab starts on loopback when none is given. Its leases are not renewed, so the default
 * silent holder (a short lease nobody renews) expires as etcd's minimum TTL allows (2 s).
 */
@ContractFor("etcd")
class EtcdStoreTest {
    @Nested
    class Leases extends LeasesContract {
        Leases() {
            super("etcd");
        }
    }
}
