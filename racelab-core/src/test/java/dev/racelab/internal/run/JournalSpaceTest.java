package dev.racelab.internal.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.racelab.core.UsageException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run whose journals would not fit the disk: a counted one refused before it starts, a timed one stopped once its rate shows it. */
class JournalSpaceTest {
    private static final long BYTES_PER_OP = 48;

    private static RunSpec counted(long iterations) {
        return RunSpec.builder().scenario("counter").store("postgres").strategy("atomic").threads(100).iterations(iterations).build();
    }

    @Test
    void aCountedRunBeyondTheFreeSpaceIsRefusedNamingTheNeedTheSpaceAndTheFlag(@TempDir Path dir) throws Exception {
        JournalSpace space = new JournalSpace(dir, BYTES_PER_OP);
        long free = Files.getFileStore(dir).getUsableSpace();
        long tooMany = free / BYTES_PER_OP / 100 + 1; // per thread, so that the whole run needs more than is free
        assertThatThrownBy(() -> space.refuseIfTooBig(counted(Math.min(tooMany, RunSpec.MAX_ITERATIONS))))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("journals need about").hasMessageContaining(dir + " has").hasMessageContaining("--iterations");
        space.refuseIfTooBig(counted(1_000)); // 100,000 operations: 4.8 MB
    }

    @Test
    void aTimedRunIsStoppedOnlyWhenItsFastestRateWouldFillTheDisk(@TempDir Path dir) throws Exception {
        JournalSpace space = new JournalSpace(dir, BYTES_PER_OP);
        RunSpec day = counted(1).timed(Duration.ofHours(24));
        assertThat(space.tooBigFor(day, 100, 2)).as("100 ops/s for a day: 415 MB").isNull();
        long free = Files.getFileStore(dir).getUsableSpace();
        double filling = free / BYTES_PER_OP / 86_000.0 * 2; // twice the rate the rest of the day has room for
        String why = space.tooBigFor(day, filling, 2);
        assertThat(why).contains("would not fit the disk").contains("--seconds").contains(dir + " has");
        assertThat(space.tooBigFor(day, 1, 4)).as("the fastest rate seen counts, not the last").isNotNull();
    }
}
