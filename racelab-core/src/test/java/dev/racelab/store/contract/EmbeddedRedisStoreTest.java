package dev.racelab.store.contract;

import org.junit.jupiter.api.Nested;

/** The role contracts of redis-embedded: the redis-server racelab starts itself. A role the store lacks has no class here. */
@ContractFor("redis-embedded")
class EmbeddedRedisStoreTest {
    private static final String STORE = "redis-embedded";

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
