package dev.racelab.store.contract;

import org.junit.jupiter.api.Nested;

/** The role contracts of postgres: this machine's PostgreSQL (or RACELAB_POSTGRES_URL). A role the store lacks has no class here. */
@ContractFor("postgres")
class PostgresStoreTest {
    private static final String STORE = "postgres";

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
