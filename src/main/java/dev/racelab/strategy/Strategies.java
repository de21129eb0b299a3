package dev.racelab.strategy;

import static dev.racelab.store.Capability.ADVISORY_LOCK;
import static dev.racelab.store.Capability.ATOMIC_ADD;
import static dev.racelab.store.Capability.ATOMIC_GUARD;
import static dev.racelab.store.Capability.CAS;
import static dev.racelab.store.Capability.GUARD_ROW;
import static dev.racelab.store.Capability.KEYLESS_TABLE;
import static dev.racelab.store.Capability.LEASE;
import static dev.racelab.store.Capability.READ_WRITE;
import static dev.racelab.store.Capability.ROW_LOCK;
import static dev.racelab.store.Capability.ROW_LOCK_NO_KEY;
import static dev.racelab.store.Capability.SERIALIZABLE;
import static dev.racelab.store.Capability.TX;

import dev.racelab.core.UsageException;
import dev.racelab.store.Capability;
import dev.racelab.store.Layout;
import dev.racelab.store.LockMode;
import java.util.List;
import java.util.Set;

/** Every strategy racelab runs, in the order reports list them. */
public final class Strategies {
    private static final List<StrategyInfo> ALL = List.of(
            new StrategyInfo("naive-nokey", Set.of(READ_WRITE, KEYLESS_TABLE), Layout.KEYLESS, false,
                    "reads the value, adds in the application and writes it back to a table with no key (seed 000, solution-01)",
                    ctx -> new NaiveStrategy(ctx, false)),
            new StrategyInfo("naive", Set.of(READ_WRITE), Layout.KEYED, false,
                    "reads the value, adds in the application and writes it back by primary key (solution-02)",
                    ctx -> new NaiveStrategy(ctx, false)),
            new StrategyInfo("naive-nokey-tx", Set.of(TX, KEYLESS_TABLE), Layout.KEYLESS, false,
                    "does the same read-add-write on the keyless table inside a default-isolation transaction (solution-03)",
                    ctx -> new NaiveStrategy(ctx, true)),
            new StrategyInfo("naive-tx", Set.of(TX), Layout.KEYED, false,
                    "does the read-add-write by primary key inside a default-isolation transaction (solution-04)",
                    ctx -> new NaiveStrategy(ctx, true)),
            new StrategyInfo("atomic", Set.of(ATOMIC_ADD), Layout.KEYED, true,
                    "lets the store add in place (UPDATE ... SET v = v + ?, a Redis Lua script, a DynamoDB update with a condition),"
                            + " so no value read by the application can go stale",
                    AtomicStrategy::new),
            new StrategyInfo("transactional", Set.of(ATOMIC_GUARD), Layout.KEYED, true,
                    "changes the stock and writes the order row in one atomic write (DynamoDB TransactWriteItems, one Lua script,"
                            + " one SQL transaction), so neither exists without the other",
                    TransactionalStrategy::new),
            new StrategyInfo("pessimistic", Set.of(TX, ROW_LOCK), Layout.KEYED, true,
                    "locks the row with SELECT ... FOR UPDATE before reading, so writers queue one behind the other",
                    ctx -> new PessimisticStrategy(ctx, LockMode.FOR_UPDATE)),
            new StrategyInfo("pessimistic-nokey", Set.of(TX, ROW_LOCK_NO_KEY), Layout.KEYED, true,
                    "locks the row with PostgreSQL's lighter SELECT ... FOR NO KEY UPDATE (seed 004), so writers queue",
                    ctx -> new PessimisticStrategy(ctx, LockMode.FOR_NO_KEY_UPDATE)),
            new StrategyInfo("optimistic", Set.of(CAS), Layout.KEYED, true,
                    "writes only if the version it read is unchanged (UPDATE ... WHERE version = ?, a DynamoDB version condition,"
                            + " Redis WATCH/MULTI/EXEC) and retries with backoff when it is not",
                    ctx -> new OptimisticStrategy(ctx, ctx.retry())).withMultiCellRequires(TX),
            new StrategyInfo("optimistic-noretry", Set.of(CAS), Layout.KEYED, true,
                    "writes only if the version it read is unchanged, and gives up at the first conflict",
                    ctx -> new OptimisticStrategy(ctx, RetryPolicy.NONE)).withMultiCellRequires(TX),
            new StrategyInfo("optimistic-3", Set.of(CAS), Layout.KEYED, true,
                    "writes only if the version it read is unchanged, with seed 004's policy: at most 3 attempts, no backoff",
                    ctx -> new OptimisticStrategy(ctx, RetryPolicy.attempts(3))).withMultiCellRequires(TX),
            new StrategyInfo("serializable", Set.of(TX, SERIALIZABLE), Layout.KEYED, true,
                    "runs the read-add-write in a SERIALIZABLE transaction and retries when the database aborts it",
                    ctx -> new SerializableStrategy(ctx, ctx.retry())),
            new StrategyInfo("serializable-noretry", Set.of(TX, SERIALIZABLE), Layout.KEYED, true,
                    "runs the read-add-write in a SERIALIZABLE transaction and reports each abort to the client (seed 000, solutions 05/06)",
                    ctx -> new SerializableStrategy(ctx, RetryPolicy.NONE)),
            new StrategyInfo("advisory", Set.of(TX, ADVISORY_LOCK), Layout.KEYED, true,
                    "takes a named advisory lock (pg_advisory_xact_lock, GET_LOCK) around the read-add-write",
                    AdvisoryStrategy::new),
            new StrategyInfo("lock", Set.of(LEASE, READ_WRITE), Layout.KEYED, true,
                    "takes a lease (Redis SET NX PX with a random token, released only by that token) around the"
                            + " read-add-write, waiting with backoff while another client holds it",
                    LeaseLockStrategy::new),
            new StrategyInfo("decide-then-log", Set.of(ATOMIC_ADD), Layout.KEYED, false,
                    "lets Redis decide with the Lua script, then logs the order in SQL as a second write (seed 002);"
                            + " a client that dies in between leaves stock taken with no order",
                    DecideThenLogStrategy::new, true, null, Set.of()),
            new StrategyInfo("reserve-confirm", Set.of(ATOMIC_GUARD, GUARD_ROW), Layout.KEYED, true,
                    "takes the stock and writes a reservation in one Lua script, logs the order in SQL idempotently,"
                            + " then confirms; a sweep turns reservations left by crashed clients into orders",
                    ReserveConfirmStrategy::new, true, ReserveConfirmStrategy::recover, Set.of()));

    private Strategies() {
    }

    public static List<StrategyInfo> all() {
        return ALL;
    }

    public static StrategyInfo get(String name) {
        return ALL.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new UsageException("unknown strategy '" + name + "'; choose one of: "
                        + String.join(", ", names())));
    }

    public static List<String> names() {
        return ALL.stream().map(StrategyInfo::name).toList();
    }

    /** Fails with a usage error naming what is missing when the strategy cannot run on the store. */
    public static void requireFit(StrategyInfo strategy, String storeName, Set<Capability> has) {
        requireFit(strategy, storeName, has, false);
    }

    /** As above, for a scenario whose operations change several cells when {@code severalCells}. */
    public static void requireFit(StrategyInfo strategy, String storeName, Set<Capability> has, boolean severalCells) {
        Set<Capability> missing = strategy.missingFrom(has, severalCells);
        if (!missing.isEmpty()) {
            throw new UsageException("strategy '" + strategy.name() + "' needs " + missing
                    + (severalCells && strategy.missingFrom(has).isEmpty() ? " to change several cells at once" : "")
                    + ", which store '" + storeName + "' does not have");
        }
    }
}
