package dev.racelab.store.contract;

import org.junit.jupiter.api.Nested;

/** The role contracts of redis: this machine's Redis (127.0.0.1:6379, or RACELAB_REDIS_URL). A role the store lacks has no class here. */
@ContractFor("redis")
class RedisStoreTest {
    private static final String STORE = "redis";

    @Nested
    class Cells extends CellsContract {
        Cells() {
            super(STORE);
        }
    }

    @Nested
    class Guards extends GuardsContract {
        Guards() {
            super(STORE);
        }
    }

    @Nested
    class GuardedWrites extends GuardedWritesContract {
        GuardedWrites() {
            super(STORE);
        }
    }

    @Nested
    class Leases extends LeasesContract {
        Leases() {
            super(STORE);
        }
    }

    @Nested
    class Fences extends FencesContract {
        Fences() {
            super(STORE);
        }
    }
}
