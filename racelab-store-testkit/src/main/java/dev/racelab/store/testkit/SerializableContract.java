package dev.racelab.store.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racelab.core.Cell;
import dev.racelab.core.FailReason;
import dev.racelab.core.Outcome;
import dev.racelab.store.Capability;
import dev.racelab.store.CellStore;
import dev.racelab.store.Isolation;
import dev.racelab.store.TransactionStore;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Serializable transactions: of two read-modify-writes forced to interleave, one is refused as an outcome. */
@Covers(Capability.SERIALIZABLE)
public abstract class SerializableContract extends RoleContract {
    @Test
    void serializableRefusesOneOfTwoInterleavedReadModifyWrites() throws Exception {
        create("a", 0);
        CyclicBarrier bothHaveRead = new CyclicBarrier(2);
        CompletableFuture<Outcome> one = serializableIncrement(bothHaveRead);
        CompletableFuture<Outcome> two = serializableIncrement(bothHaveRead);
        List<Outcome> outcomes = List.of(one.get(60, TimeUnit.SECONDS), two.get(60, TimeUnit.SECONDS));
        assertThat(outcomes).filteredOn(Outcome::isOk).hasSize(1);
        assertThat(outcomes).filteredOn(o -> !o.isOk()).singleElement()
                .satisfies(o -> assertThat(o.reason()).isIn(FailReason.SERIALIZATION, FailReason.DEADLOCK));
        assertThat(as(CellStore.class).read(key("a")).value()).isEqualTo(1);
    }

    private CompletableFuture<Outcome> serializableIncrement(CyclicBarrier barrier) {
        return async(() -> as(TransactionStore.class).inTransaction(Isolation.SERIALIZABLE, tx -> {
            Cell cell = tx.read(key("a"));
            await(barrier);
            tx.write(key("a"), cell.value() + 1);
            return Outcome.ok();
        }));
    }
}
