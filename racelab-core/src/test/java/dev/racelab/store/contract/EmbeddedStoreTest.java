package dev.racelab.store.contract;

import org.junit.jupiter.api.Nested;

/** The role contracts of embedded: the PostgreSQL racelab starts in-process. A role the store lacks has no class here. */
@ContractFor("embedded")
class EmbeddedStoreTest {
    private static final String STORE = "embedded";

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
    class Transactions extends TransactionsContract {
        Transactions() {
            super(STORE);
        }
    }

    @Nested
    class RowLocks extends RowLocksContract {
        RowLocks() {
            super(STORE);
        }
    }

    @Nested
    class AdvisoryLocks extends AdvisoryLocksContract {
        AdvisoryLocks() {
            super(STORE);
        }
    }

    @Nested
    class Serializable extends SerializableContract {
        Serializable() {
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
