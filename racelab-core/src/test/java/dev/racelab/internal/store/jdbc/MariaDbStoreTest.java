package dev.racelab.internal.store.jdbc;

import dev.racelab.store.Store;
import dev.racelab.store.contract.ContractFor;
import dev.racelab.store.testkit.AdvisoryLocksContract;
import dev.racelab.store.testkit.CellsContract;
import dev.racelab.store.testkit.FencesContract;
import dev.racelab.store.testkit.GuardedWritesContract;
import dev.racelab.store.testkit.GuardsContract;
import dev.racelab.store.testkit.LockWaitView;
import dev.racelab.store.testkit.RowLocksContract;
import dev.racelab.store.testkit.SerializableContract;
import dev.racelab.store.testkit.TransactionsContract;
import dev.racelab.testing.TestStores;
import org.junit.jupiter.api.Nested;

/** The role contracts of mysql: this machine's MariaDB (or RACELAB_MYSQL_URL). A role the store lacks has no class here. */
@ContractFor("mysql")
class MariaDbStoreTest {
    private static final String STORE = "mysql";

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
    class Transactions extends TransactionsContract {
        @Override
        protected Store openStore() {
            return TestStores.open(STORE);
        }
    }

    @Nested
    class RowLocks extends RowLocksContract {
        @Override
        protected Store openStore() {
            return TestStores.open(STORE);
        }

        @Override
        protected LockWaitView lockWaits() {
            return TxSessions.LOCK_WAITS;
        }
    }

    @Nested
    class AdvisoryLocks extends AdvisoryLocksContract {
        @Override
        protected Store openStore() {
            return TestStores.open(STORE);
        }

        @Override
        protected LockWaitView lockWaits() {
            return TxSessions.LOCK_WAITS;
        }
    }

    @Nested
    class Serializable extends SerializableContract {
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
