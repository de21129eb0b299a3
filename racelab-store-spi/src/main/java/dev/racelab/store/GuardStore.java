package dev.racelab.store;

import java.util.List;

/** The guard-row role (GUARD_ROW): order rows, likes, idempotency keys, one unique key each. */
public interface GuardStore extends Store, GuardOps {
    /** The guard keys that start with {@code prefix}, taken literally, in no particular order. */
    List<String> guards(String prefix);

    /** Removes every guard row under {@code prefix} (a run's clean-up). */
    void deleteGuards(String prefix);
}
