package dev.racelab.internal.store.dynamodb;

import dev.racelab.store.Store;
import dev.racelab.store.contract.ContractFor;
import dev.racelab.store.testkit.CellsContract;
import dev.racelab.store.testkit.FencesContract;
import dev.racelab.store.testkit.GuardedWritesContract;
import dev.racelab.store.testkit.GuardsContract;
import dev.racelab.testing.TestStores;
import org.junit.jupiter.api.Nested;

/** The role contracts of dynamodb: DynamoDB Local, started in this JVM. A role the store lacks has no class here. */
@ContractFor("dynamodb")
class DynamoStoreTest {
    private static final String STORE = "dynamodb";

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
    class Fences extends FencesContract {
        @Override
        protected Store openStore() {
            return TestStores.open(STORE);
        }
    }
}
