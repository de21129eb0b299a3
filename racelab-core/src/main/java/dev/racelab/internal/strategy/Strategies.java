package dev.racelab.internal.strategy;

import static dev.racelab.store.Capability.ADVISORY_LOCK;
import static dev.racelab.store.Capability.ATOMIC_ADD;
import static dev.racelab.store.Capability.ATOMIC_GUARD;
import static dev.racelab.store.Capability.CAS;
import static dev.racelab.store.Capability.FENCE;
import static dev.racelab.store.Capability.GUARD_ROW;
import static dev.racelab.store.Capability.KEYLESS_TABLE;
import static dev.racelab.store.Capability.LEASE;
import static dev.racelab.store.Capability.READ_WRITE;
import static dev.racelab.store.Capability.ROW_LOCK;
import static dev.racelab.store.Capability.ROW_LOCK_NO_KEY;
import static dev.racelab.store.Capability.SERIALIZABLE;
import static dev.racelab.store.Capability.TX;

import dev.racelab.core.InvalidFieldException;
import dev.racelab.internal.input.OutsideNumbers;
import dev.racelab.internal.vocab.StrategyId;
import dev.racelab.retry.RetryPolicy;
import dev.racelab.store.LockMode;
import dev.racelab.internal.strategy.StrategyInfo.Needs;
import java.util.List;

/** Every strategy racelab runs, in the order reports list them: the one list of strategies. */
public final class Strategies {
    private static final List<StrategyInfo> ALL = List.of(
            StrategyInfo.of(StrategyId.NAIVE_NOKEY, false, Needs.cells(READ_WRITE, KEYLESS_TABLE),
                    "reads the value, adds in the application and writes it back to a table with no key",
                    ctx -> new NaiveStrategy(ctx, false)).keyless(),
            StrategyInfo.of(StrategyId.NAIVE, false, Needs.cells(READ_WRITE),
                    "reads the value, adds in the application and writes it back by primary key",
                    ctx -> new NaiveStrategy(ctx, false)),
            StrategyInfo.of(StrategyId.NAIVE_NOKEY_TX, false, Needs.cells(TX, KEYLESS_TABLE),
                    "does the same read-add-write on the keyless table inside a default-isolation transaction",
                    ctx -> new NaiveStrategy(ctx, true)).keyless(),
            StrategyInfo.of(StrategyId.NAIVE_TX, false, Needs.cells(TX),
                    "does the read-add-write by primary key inside a default-isolation transaction",
                    ctx -> new NaiveStrategy(ctx, true)),
            StrategyInfo.of(StrategyId.ATOMIC, true, Needs.cells(ATOMIC_ADD),
                    "lets the store add in place (UPDATE ... SET v = v + ?, a Redis Lua script, a DynamoDB update with a condition),"
                            + " so no value read by the application can go stale",
                    AtomicStrategy::new),
            StrategyInfo.of(StrategyId.TRANSACTIONAL, true, Needs.cells(ATOMIC_GUARD),
                    "changes the stock and writes the order row in one atomic write (DynamoDB TransactWriteItems, one Lua script,"
                            + " one SQL transaction), so neither exists without the other",
                    TransactionalStrategy::new),
            StrategyInfo.of(StrategyId.PESSIMISTIC, true, Needs.cells(TX, ROW_LOCK),
                    "locks the row with SELECT ... FOR UPDATE before reading, so writers queue one behind the other",
                    ctx -> new PessimisticStrategy(ctx, LockMode.FOR_UPDATE)),
            StrategyInfo.of(StrategyId.PESSIMISTIC_NOKEY, true, Needs.cells(TX, ROW_LOCK_NO_KEY),
                    "locks the row with PostgreSQL's lighter SELECT ... FOR NO KEY UPDATE, so writers queue",
                    ctx -> new PessimisticStrategy(ctx, LockMode.FOR_NO_KEY_UPDATE)),
            StrategyInfo.of(StrategyId.OPTIMISTIC, true, Needs.cells(CAS).forSeveralCells(TX),
                    "writes only if the version it read is unchanged (UPDATE ... WHERE version = ?, a DynamoDB version condition,"
                            + " Redis WATCH/MULTI/EXEC) and retries with backoff when it is not",
                    ctx -> new OptimisticStrategy(ctx, ctx.retry())),
            StrategyInfo.of(StrategyId.OPTIMISTIC_NORETRY, true, Needs.cells(CAS).forSeveralCells(TX),
                    "writes only if the version it read is unchanged, and gives up at the first conflict",
                    ctx -> new OptimisticStrategy(ctx, RetryPolicy.NONE)).mayGiveUp(),
            StrategyInfo.of(StrategyId.OPTIMISTIC_3, true, Needs.cells(CAS).forSeveralCells(TX),
                    "writes only if the version it read is unchanged, with a fixed policy of at most 3 attempts and no backoff",
                    ctx -> new OptimisticStrategy(ctx, RetryPolicy.attempts(3))).mayGiveUp(),
            StrategyInfo.of(StrategyId.SERIALIZABLE, true, Needs.cells(TX, SERIALIZABLE),
                    "runs the read-add-write in a SERIALIZABLE transaction and retries when the database aborts it",
                    ctx -> new SerializableStrategy(ctx, ctx.retry())),
            StrategyInfo.of(StrategyId.SERIALIZABLE_NORETRY, true, Needs.cells(TX, SERIALIZABLE),
                    "runs the read-add-write in a SERIALIZABLE transaction and reports each abort to the client",
                    ctx -> new SerializableStrategy(ctx, RetryPolicy.NONE)).mayGiveUp(),
            StrategyInfo.of(StrategyId.ADVISORY, true, Needs.cells(TX, ADVISORY_LOCK),
                    "takes a named advisory lock (pg_advisory_xact_lock, GET_LOCK) around the read-add-write",
                    AdvisoryStrategy::new),
            StrategyInfo.of(StrategyId.LOCK, true, Needs.cells(READ_WRITE).withLeases(LEASE),
                    "takes a lease (Redis SET NX PX with a random token, released only by that token) around the"
                            + " read-add-write, waiting with backoff while another client holds it; a holder paused past the"
                            + " lease's TTL still writes what it read before (lock-fenced refuses that write)",
                    LeaseLockStrategy::new),
            StrategyInfo.of(StrategyId.LOCK_FENCED, true, Needs.cells(READ_WRITE, FENCE).withLeases(LEASE),
                    "takes a lease with a fencing token (one that only grows) around the read-add-write; the cell store records"
                            + " the token at the read and refuses a write whose token is below the highest it has seen, so a"
                            + " holder paused past its lease cannot overwrite the next holder's change",
                    FencedLeaseLockStrategy::new).changingOneCell(),
            StrategyInfo.of(StrategyId.COALESCE, true, Needs.cells(ATOMIC_ADD, ATOMIC_GUARD),
                    "combines the deltas of this instance's callers that queue while a write is in flight into one add of their"
                            + " sum (group commit: the caller that finds the cell free flushes everyone queued), with every"
                            + " order row in the same commit; with a floor a batch admits only what fits the last known value,"
                            + " and a batch the store refuses is split and retried; every caller in a write whose outcome is"
                            + " unknown is unknown",
                    CoalesceStrategy::new).changingOneCell(),
            StrategyInfo.of(StrategyId.SHARDED, true, Needs.cells(ATOMIC_ADD, ATOMIC_GUARD),
                    "spreads each cell over --slots rows (a slotted counter) and adds to a random slot, so writers do not"
                            + " queue on one row lock; a read is the sum of the slots (one read per slot); with a floor each"
                            + " slot keeps its own floor of 0, a take its slot cannot cover falls over to the other slots, then"
                            + " is split across them in one atomic write, and is refused only when the slots together hold too little",
                    ShardedStrategy::new).changingOneCell().spreading(options -> new Slots(options.slots())),
            StrategyInfo.of(StrategyId.DECIDE_THEN_LOG, false, Needs.cells(ATOMIC_ADD).withLog(TX, GUARD_ROW),
                    "lets Redis decide with the Lua script, then logs the order in SQL as a second write;"
                            + " a client that dies in between leaves stock taken with no order",
                    DecideThenLogStrategy::new),
            StrategyInfo.of(StrategyId.RESERVE_CONFIRM, true, Needs.cells(ATOMIC_GUARD, GUARD_ROW).withLog(TX, GUARD_ROW),
                    "takes the stock and writes a reservation in one Lua script, logs the order in SQL idempotently,"
                            + " then confirms; a sweep turns reservations left by crashed clients into orders",
                    ReserveConfirmStrategy::new).withRecovery(ReserveConfirmStrategy::recover));

    private Strategies() {
    }

    public static List<StrategyInfo> all() {
        return ALL;
    }

    public static StrategyInfo get(StrategyId id) {
        return ALL.stream().filter(s -> s.id() == id).findFirst().orElseThrow();
    }

    /** The strategy a user named ({@code --strategy}, a route's {@code ?strategy=}), refused naming the field when racelab has none of that name. */
    public static StrategyInfo get(String name) {
        return StrategyId.find(name).map(Strategies::get)
                .orElseThrow(() -> InvalidFieldException.about("strategy", "unknown strategy '" + OutsideNumbers.excerpt(name) + "'; choose one of: "
                        + String.join(", ", names())));
    }

    public static List<String> names() {
        return ALL.stream().map(StrategyInfo::name).toList();
    }

    /** The names of the strategies that take leases, or log orders in a second store: for error messages. */
    public static List<String> namesThat(java.util.function.Predicate<StrategyInfo> which) {
        return ALL.stream().filter(which).map(StrategyInfo::name).toList();
    }
}
