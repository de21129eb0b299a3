package dev.racelab.internal.store.redis;

import dev.racelab.store.Store;
import dev.racelab.store.contract.ContractFor;
import dev.racelab.store.testkit.CellsContract;
import dev.racelab.store.testkit.FencesContract;
import dev.racelab.store.testkit.GuardedWritesContract;
import dev.racelab.store.testkit.GuardsContract;
import dev.racelab.store.testkit.LeasesContract;
import dev.racelab.testing.TestStores;
import org.junit.jupiter.api.Nested;

/** The role contracts of redis-embedded: the redis-server racelab starts itself. A role the store lacks has no class here. */
@ContractFor("redis-embedded")
class EmbeddedRedisStoreTest {
    private static final String STORE = "redis-embedded";

    @Nested
    class Cells extends CellsContract {
        @Override
        protected Store openStore() {
            return TestStores.open(STORE);
        }
    }

    @Nested
    class Guards extends GuardsContract {
        @Override
        protected Store openStore() {
            return TestStores.open(STORE);
        }
    }

    @Nested
    class GuardedWrites extends GuardedWritesContract {
        @Override
        protected Store openStore() {
            return TestStores.open(STORE);
        }
    }

    @Nested
    class Leases extends LeasesContract {
        @Override
        protected Store openStore() {
            return TestStores.open(STORE);
        }
    }

    @Nested
    class Fences extends FencesContract {
        @Override
        protected Store openStore() {
            return TestStores.open(STORE);
        }
    }
}
