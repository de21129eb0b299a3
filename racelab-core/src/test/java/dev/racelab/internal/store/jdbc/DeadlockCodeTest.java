package dev.racelab.internal.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racelab.internal.traits.DeadlockCodes;
import dev.racelab.store.Store;
import dev.racelab.testing.TestStores;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The SQL stores name their deadlock code, which the HTTP service's deadlock demo shows. */
class DeadlockCodeTest {
    @ParameterizedTest
    @CsvSource({"postgres, 40P01", "mysql, 1213"})
    void aSqlStoreNamesTheCodeItsServerGivesADeadlock(String name, String code) {
        try (Store store = TestStores.open(name)) {
            assertThat(DeadlockCodes.of(store)).isEqualTo(code);
        }
    }
}
