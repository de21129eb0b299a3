package dev.racelab.internal.vocab;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/**
 * Which strategy: the identity every layer names a strategy by (the run, the report, the commands,
 * the service, the lab's fault models), in the order reports list them. The names users type and
 * read are here and nowhere else; what a strategy is and does lives in {@code Strategies}.
 */
public enum StrategyId {
    NAIVE_NOKEY("naive-nokey"),
    NAIVE("naive"),
    NAIVE_NOKEY_TX("naive-nokey-tx"),
    NAIVE_TX("naive-tx"),
    ATOMIC("atomic"),
    TRANSACTIONAL("transactional"),
    PESSIMISTIC("pessimistic"),
    PESSIMISTIC_NOKEY("pessimistic-nokey"),
    OPTIMISTIC("optimistic"),
    OPTIMISTIC_NORETRY("optimistic-noretry"),
    OPTIMISTIC_3("optimistic-3"),
    SERIALIZABLE("serializable"),
    SERIALIZABLE_NORETRY("serializable-noretry"),
    ADVISORY("advisory"),
    LOCK("lock"),
    LOCK_FENCED("lock-fenced"),
    COALESCE("coalesce"),
    SHARDED("sharded"),
    DECIDE_THEN_LOG("decide-then-log"),
    RESERVE_CONFIRM("reserve-confirm");

    private final String flagName;

    StrategyId(String flagName) {
        this.flagName = flagName;
    }

    /** The name users type ({@code --strategy}) and read (tables, JSON, reports). */
    @JsonValue
    public String flagName() {
        return flagName;
    }

    /** The strategy of that name; empty for a name racelab does not know. */
    public static Optional<StrategyId> find(String name) {
        return Arrays.stream(values()).filter(s -> s.flagName.equals(name)).findFirst();
    }

    @Override
    public String toString() {
        return flagName;
    }
}
