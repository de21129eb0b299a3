package dev.racelab.store.contract;

import org.junit.jupiter.api.Nested;

/** The role contracts of dynamodb: DynamoDB Local, started in this JVM. A role the store lacks has no class here. */
@ContractFor("dynamodb")
class DynamoStoreTest {
    private static final String STORE = "dynamodb";

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
    class Fences extends FencesContract {
        Fences() {
            super(STORE);
        }
    }
}
