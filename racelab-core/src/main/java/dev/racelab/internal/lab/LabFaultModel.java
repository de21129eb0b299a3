package dev.racelab.internal.lab;

import dev.racelab.internal.vocab.StrategyId;
import java.util.Objects;

/**
 * What a lab test showed of one store kind, with one setting, under a partition and under a
 * failover: whether acknowledged writes survived. Filled from the lab tests that ran it, never
 * from opinion; {@code shownBy} names the test (or the page of measurements) that shows it.
 *
 * @param setting the lab options it ran with, in words ("asynchronous replication, the default")
 * @param strategy the strategy the run used, and what it did when that needs saying ("atomic deposits")
 */
public record LabFaultModel(String setting, String strategy, Outcome partition, Outcome failover, String shownBy) {
    /** Whether the acknowledged writes survived the fault. */
    public enum Outcome {
        KEPT("keeps every acknowledged write"),
        LOST("loses acknowledged writes"),
        NOT_MEASURED("not measured yet");

        private final String words;

        Outcome(String words) {
            this.words = words;
        }

        public String words() {
            return words;
        }
    }

    public LabFaultModel {
        Objects.requireNonNull(setting, "setting");
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(partition, "partition");
        Objects.requireNonNull(failover, "failover");
        Objects.requireNonNull(shownBy, "shownBy");
    }

    /** A model of runs with {@code strategy}, named as it is. */
    public LabFaultModel(String setting, StrategyId strategy, Outcome partition, Outcome failover, String shownBy) {
        this(setting, strategy.flagName(), partition, failover, shownBy);
    }

    public String describe() {
        return setting + ", " + strategy + ": partition: " + partition.words() + "; failover: " + failover.words() + " (shown by "
                + shownBy + ")";
    }
}
