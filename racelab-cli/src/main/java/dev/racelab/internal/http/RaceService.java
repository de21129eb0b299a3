package dev.racelab.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.racelab.core.Cell;
import dev.racelab.core.Change;
import dev.racelab.core.Clock;
import dev.racelab.core.FailReason;
import dev.racelab.core.Money;
import dev.racelab.core.NoSuchCellException;
import dev.racelab.core.Operation;
import dev.racelab.core.Outcome;
import dev.racelab.internal.scenario.Accounts;
import dev.racelab.internal.scenario.LikeScenario;
import dev.racelab.internal.scenario.Product;
import dev.racelab.core.InvalidFieldException;
import dev.racelab.internal.run.Fit;
import dev.racelab.internal.scenario.CounterScenario;
import dev.racelab.internal.scenario.DepositScenario;
import dev.racelab.internal.scenario.OrderScenario;
import dev.racelab.internal.scenario.Scenario;
import dev.racelab.internal.scenario.ScenarioOptions;
import dev.racelab.internal.scenario.TransferScenario;
import dev.racelab.internal.vocab.StrategyId;
import dev.racelab.store.Capability;
import dev.racelab.store.CellStore;
import dev.racelab.store.StoreRoles;
import dev.racelab.internal.strategy.Applied;
import dev.racelab.internal.strategy.ReadWriteGap;
import dev.racelab.retry.RetryPolicy;
import dev.racelab.internal.strategy.Strategies;
import dev.racelab.internal.strategy.Strategy;
import dev.racelab.internal.strategy.StrategyContext;
import dev.racelab.internal.strategy.StrategyInfo;
import dev.racelab.internal.traits.DeadlockCodes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the HTTP routes do, on the same model as every run: accounts, counters, stock and like
 * counts are cells; likes and idempotency keys are guard rows; each write goes through a
 * registered strategy. Its data lives under the prefix {@value #PREFIX}.
 */
public final class RaceService {
    public static final String PREFIX = "svc/";
    /** A cell's key holds 200 characters, and the service puts up to 25 of its own before the client's key. */
    private static final int MAX_IDEMPOTENCY_KEY = 150;
    /** Seed 003's accounts: Alice, Bob and Charlie. */
    static final long[] SEED_BALANCES = {100_000, 200_000, 300_000};
    /** Seed 003 sleeps 100 ms between read and write in /deposit-broken, to widen the race. */
    static final Duration BROKEN_THINK = Duration.ofMillis(100);
    private static final Duration REPLAY_WAIT = Duration.ofSeconds(2);
    /** The shapes of the routes' operations, for checking that a strategy fits the stores. */
    private static final Scenario DEPOSIT = new DepositScenario(ScenarioOptions.DEFAULT);
    private static final Scenario TRANSFER = new TransferScenario(ScenarioOptions.accounts(2, 0, 1));
    private static final Scenario COUNTER = new CounterScenario();
    private static final Scenario ORDER = new OrderScenario(ScenarioOptions.DEFAULT);

    private final StoreRoles stores;
    private final CellStore store;
    private final Clock clock;
    private final StrategyContext context;
    private final Map<String, Strategy> strategies = new ConcurrentHashMap<>();
    private final Strategy broken;
    private final AtomicLong ids = new AtomicLong(System.currentTimeMillis() << 16);

    /**
     * @param stores the cell store, and the store that grants leases for /deposit-distributed
     *               (the cell store itself, Redis beside it, or none)
     */
    public RaceService(StoreRoles stores, Clock clock) {
        this.stores = stores;
        this.store = stores.cellStore();
        this.clock = clock;
        this.context = StrategyContext.of(stores, RetryPolicy.DEFAULT, clock, StrategyContext.THREAD_SAFE_RANDOM, ReadWriteGap.NONE);
        this.broken = Strategies.get(StrategyId.NAIVE).create(StrategyContext.of(stores, RetryPolicy.DEFAULT, clock,
                StrategyContext.THREAD_SAFE_RANDOM, ReadWriteGap.sleeping(clock, BROKEN_THINK)));
    }

    /** Creates the seed data that is missing: accounts 1..n, post 1, counter 1 and the catalog's stock. */
    public void createMissingData(int accounts) {
        List<Cell> missing = new ArrayList<>();
        for (int a = 1; a <= accounts; a++) {
            long balance = a <= SEED_BALANCES.length ? SEED_BALANCES[a - 1] : 100_000;
            addIfMissing(missing, new Cell(Accounts.key(PREFIX, a), balance, 0));
        }
        addIfMissing(missing, new Cell(LikeScenario.countKey(PREFIX, 1), 0, 0));
        addIfMissing(missing, new Cell(counterKey(1), 0, 0));
        for (Product p : Product.CATALOG) addIfMissing(missing, new Cell(Product.stockKey(PREFIX, p.id()), p.stock(), 0));
        if (!missing.isEmpty()) store.createCells(missing);
    }

    private void addIfMissing(List<Cell> missing, Cell cell) {
        if (find(cell.key()) == null) missing.add(cell);
    }

    // --- reads ---------------------------------------------------------------------------------

    public Reply balance(String accountId) {
        Cell cell = account(accountId);
        return Reply.ok(Map.of("balance", Money.toDecimal(cell.value()), "version", cell.version()));
    }

    public Reply accountDetails(String accountId) {
        Cell cell = account(accountId);
        return Reply.ok(ordered("id", Requests.id("account id", accountId), "balance", Money.toDecimal(cell.value()),
                "version", cell.version()));
    }

    public Reply post(String postId) {
        int post = Requests.id("post id", postId);
        return Reply.ok(ordered("id", post, "likes", existing(LikeScenario.countKey(PREFIX, post), "post " + post).value()));
    }

    // --- writes --------------------------------------------------------------------------------

    /** A deposit with the named strategy ("broken" is seed 003's naive read-sleep-write). */
    public Reply deposit(String accountId, JsonNode body, String strategyName, String idempotencyKey) {
        int account = Requests.id("account id", accountId);
        long amount = Requests.amount(body, "amount");
        String key = Accounts.key(PREFIX, account);
        Strategy strategy = strategyName.equals("broken") ? broken : strategy(strategyName, DEPOSIT);
        return idempotent(idempotencyKey, "deposit", "account=" + account + " amount=" + amount, guard -> {
            Applied applied = applyTo(Map.of(key, "account " + account), () -> strategy.applyAndRead(new Operation(
                    ids.incrementAndGet(), List.of(new Change(key, amount)), Operation.NO_FLOOR, guard), store));
            if (!applied.outcome().isOk()) return refusal(applied.outcome(), "account " + account);
            Cell after = applied.after();
            return Reply.ok(ordered("balance", Money.toDecimal(after.value()), "version", after.version(),
                    "strategy", strategyName, "attempt", applied.outcome().retries() + 1));
        }, reply -> ((java.math.BigDecimal) reply.body().get("balance")).movePointRight(2).longValueExact());
    }

    /** Seed 003's /transfer: both accounts or neither, never below 0, locks in key order. */
    public Reply transfer(JsonNode body, String strategyName, String idempotencyKey) {
        int from = Requests.id(body, "fromId");
        int to = Requests.id(body, "toId");
        long amount = Requests.amount(body, "amount");
        if (from == to) throw new ApiException(422, "a transfer needs two different accounts, got " + from + " twice");
        String fromKey = Accounts.key(PREFIX, from);
        String toKey = Accounts.key(PREFIX, to);
        Strategy strategy = strategy(strategyName == null ? defaultTransferStrategy() : strategyName, TRANSFER);
        return idempotent(idempotencyKey, "transfer", "from=" + from + " to=" + to + " amount=" + amount, guard -> {
            Map<String, String> accounts = new LinkedHashMap<>();
            accounts.put(fromKey, "account " + from);
            accounts.put(toKey, "account " + to);
            Outcome outcome = applyTo(accounts, () -> strategy.apply(new Operation(ids.incrementAndGet(),
                    List.of(new Change(fromKey, -amount), new Change(toKey, amount)), 0, guard)));
            if (outcome.isOk()) return Reply.ok(ordered("success", true, "fromId", from, "toId", to, "amount", Money.toDecimal(amount)));
            if (outcome.reason() == FailReason.FLOOR) return Reply.error(409, "insufficient funds in account " + from);
            return refusal(outcome, "the transfer");
        }, reply -> 0);
    }

    /** Seed 003's like: the (user, post) row is the guard, so liking twice counts once. */
    public Reply like(String postId, JsonNode body, boolean unlike, String idempotencyKey) {
        int post = Requests.id("post id", postId);
        int user = Requests.id(body, "userId");
        return idempotent(idempotencyKey, unlike ? "unlike" : "like", "post=" + post + " user=" + user, guard -> {
            Outcome outcome = applyTo(Map.of(LikeScenario.countKey(PREFIX, post), "post " + post),
                    () -> stores.guardedWrites().addGuarded(LikeScenario.like(ids.incrementAndGet(), PREFIX, post, user, unlike)));
            if (outcome.isOk()) return Reply.ok(ordered("success", true, "message", unlike ? "Unliked!" : "Liked!"));
            if (outcome.reason() == FailReason.DUPLICATE) return Reply.ok(ordered("success", false, "message", "Already liked"));
            if (outcome.reason() == FailReason.ABSENT) return new Reply(422, ordered("success", false, "error", "Not liked"));
            return refusal(outcome, "the like");
        }, reply -> Boolean.TRUE.equals(reply.body().get("success")) ? 1 : 0);
    }

    public Reply increment(String counterId, String strategyName, String idempotencyKey) {
        int counter = Requests.id("counter id", counterId);
        String key = counterKey(counter);
        Strategy strategy = strategy(strategyName, COUNTER);
        return idempotent(idempotencyKey, "increment", "counter=" + counter, guard -> {
            Applied applied = applyTo(Map.of(key, "counter " + counter), () -> strategy.applyAndRead(
                    new Operation(ids.incrementAndGet(), List.of(new Change(key, 1)), Operation.NO_FLOOR, guard), store));
            if (!applied.outcome().isOk()) return refusal(applied.outcome(), "counter " + counter);
            return Reply.ok(ordered("value", applied.after().value(), "strategy", strategyName));
        }, reply -> (Long) reply.body().get("value"));
    }

    /** An order: the stock cell with floor 0 and the idempotency key (if any) as the order row. */
    public Reply order(String productId, JsonNode body, String strategyName, String idempotencyKey) {
        Product product;
        try {
            product = Product.byId(productId);
        } catch (InvalidFieldException e) {
            throw ApiException.notFound(e.getMessage());
        }
        long quantity = Requests.quantity(body);
        String key = Product.stockKey(PREFIX, product.id());
        Strategy strategy = strategy(strategyName, ORDER);
        return idempotent(idempotencyKey, "order", "product=" + product.id() + " quantity=" + quantity, guard -> {
            long id = ids.incrementAndGet();
            Outcome outcome = applyTo(Map.of(key, "product " + product.id()), () -> strategy.apply(
                    new Operation(id, List.of(new Change(key, -quantity)), 0, guard != null ? guard : PREFIX + "order:" + id)));
            if (outcome.isOk()) return Reply.ok(ordered("orderId", id, "stock", store.read(key).value()));
            if (outcome.reason() == FailReason.FLOOR) return Reply.error(409, "sold out: product " + product.id());
            return refusal(outcome, "product " + product.id());
        }, reply -> (Long) reply.body().get("stock"));
    }

    /** Seed 003's /reset: account 1 back to 1000.00, version 0. */
    public Reply reset() {
        store.createCells(List.of(new Cell(Accounts.key(PREFIX, 1), SEED_BALANCES[0], 0)));
        return Reply.ok(Map.of("message", "Reset complete"));
    }

    /**
     * Seed 003's /test-deadlock: two transactions lock accounts 1 and 2 in opposite orders,
     * each waiting at a barrier until the other holds its first lock, so the cycle is certain.
     * The database picks a victim (40P01 on PostgreSQL, 1213 on MariaDB); the other commits.
     */
    public Reply testDeadlock() {
        if (!store.capabilities().contains(Capability.ROW_LOCK)) {
            throw new ApiException(422, "store " + store.name() + " has no row locks, so it cannot deadlock");
        }
        String one = Accounts.key(PREFIX, 1);
        String two = Accounts.key(PREFIX, 2);
        existing(one, "account 1");
        existing(two, "account 2");
        java.util.concurrent.CyclicBarrier bothHoldOne = new java.util.concurrent.CyclicBarrier(2);
        java.util.concurrent.CompletableFuture<Outcome> txn1 = lockInOrder(one, two, bothHoldOne);
        java.util.concurrent.CompletableFuture<Outcome> txn2 = lockInOrder(two, one, bothHoldOne);
        Outcome first = txn1.join();
        Outcome second = txn2.join();
        Map<String, Object> body = ordered("txn1", describe(first), "txn2", describe(second));
        if (first.reason() == FailReason.DEADLOCK || second.reason() == FailReason.DEADLOCK) {
            body.put("victim", first.reason() == FailReason.DEADLOCK ? "txn1" : "txn2");
            body.put("code", DeadlockCodes.of(stores.cells()));
            body.put("message", "the database broke the lock cycle by aborting " + body.get("victim") + "; the other committed");
        } else {
            body.put("message", "no deadlock this time: " + describe(first) + ", " + describe(second));
        }
        return Reply.ok(body);
    }

    private java.util.concurrent.CompletableFuture<Outcome> lockInOrder(String first, String second,
                                                                         java.util.concurrent.CyclicBarrier barrier) {
        java.util.concurrent.CompletableFuture<Outcome> result = new java.util.concurrent.CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                result.complete(stores.transactions().inTransaction(dev.racelab.store.Isolation.DEFAULT, tx -> {
                    tx.readForUpdate(first, dev.racelab.store.LockMode.FOR_UPDATE);
                    try {
                        barrier.await(10, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (Exception e) {
                        return Outcome.fail(FailReason.ERROR);
                    }
                    tx.readForUpdate(second, dev.racelab.store.LockMode.FOR_UPDATE);
                    return Outcome.ok();
                }));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    private static String describe(Outcome outcome) {
        return outcome.isOk() ? "committed" : outcome.status() == dev.racelab.core.Status.FAIL ? outcome.reason().label() : "unknown";
    }

    // --- plumbing ------------------------------------------------------------------------------

    /** The named strategy for operations of {@code scenario}'s shape, refused as the CLI refuses it when the stores do not fit. */
    Strategy strategy(String name, Scenario scenario) {
        StrategyInfo info;
        try {
            info = Strategies.get(name);
        } catch (InvalidFieldException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        if (info.needsLogStore()) throw ApiException.badRequest("strategy " + name + " logs orders in a second store; the service has one");
        if (info.spreadsCells()) {
            throw ApiException.badRequest("strategy " + name + " spreads each cell over slot rows, and the service keeps each in one row");
        }
        if (info.needsLeases() && stores.leases() == null) {
            throw new ApiException(503, "strategy " + name + " needs a lease store, and the service has none");
        }
        String leaseStore = stores.leases() == null || stores.leases() == stores.cells() ? null : stores.leases().name();
        Fit.of(info, scenario, store.name(), info.needsLeases() ? leaseStore : null, null).problem().ifPresent(e -> {
            throw new ApiException(422, e.render(field -> field));
        });
        return strategies.computeIfAbsent(name, n -> info.create(context));
    }

    /** Whether /deposit-distributed can take its lock: from a lease store beside the cells, or from the cell store itself. */
    boolean hasLeases() {
        return stores.leases() != null;
    }

    private String defaultTransferStrategy() {
        return store.capabilities().contains(Capability.ROW_LOCK) ? StrategyId.PESSIMISTIC.flagName() : StrategyId.TRANSACTIONAL.flagName();
    }

    private Reply refusal(Outcome outcome, String what) {
        return switch (outcome.status()) {
            case UNKNOWN -> Reply.error(503, "the store did not answer for " + what + "; the change may or may not have landed");
            case OK -> throw new IllegalStateException("not a refusal");
            case FAIL -> switch (outcome.reason()) {
                case CONFLICT, CONFLICT_EXHAUSTED -> Reply.error(409, "Too many conflicts, please retry");
                case DEADLOCK, SERIALIZATION, LOCK_TIMEOUT -> Reply.error(409, outcome.reason().label() + " on " + what + ", please retry");
                case FLOOR -> Reply.error(422, "refused: " + what + " would go below its floor");
                case DUPLICATE, ABSENT -> Reply.error(409, outcome.reason().label());
                case FENCED -> Reply.error(409, "the lease on " + what + " expired and a newer holder wrote; this write was refused");
                case ERROR -> Reply.error(503, "the store failed on " + what);
            };
        };
    }

    /**
     * Runs a write. A missing cell is the 404 of what it stands for ({@code names}: cell key to
     * name); it is looked for only when the write reports one, so no write pays a read up front.
     */
    private <T> T applyTo(Map<String, String> names, java.util.function.Supplier<T> write) {
        try {
            return write.get();
        } catch (NoSuchCellException e) {
            for (Map.Entry<String, String> name : names.entrySet()) {
                if (find(name.getKey()) == null) throw ApiException.notFound("no " + name.getValue());
            }
            throw e;
        }
    }

    private Cell account(String accountId) {
        int account = Requests.id("account id", accountId);
        return existing(Accounts.key(PREFIX, account), "account " + account);
    }

    private Cell existing(String key, String what) {
        Cell cell = find(key);
        if (cell == null) throw ApiException.notFound("no " + what);
        return cell;
    }

    private Cell find(String key) {
        try {
            return store.read(key);
        } catch (NoSuchCellException e) {
            return null;
        }
    }

    private static String counterKey(int counter) {
        return PREFIX + "counter:" + counter;
    }

    /** A write that may carry an Idempotency-Key; the body gets the guard key to apply with (null without one). */
    private interface Write {
        Reply apply(String guard);
    }

    private interface Remember {
        long valueOf(Reply reply);
    }

    /**
     * With a key, the write is applied at most once: its guard row goes with the change, and
     * its reply is remembered (as a cell: the status in the version, the number it reported in
     * the value) beside the request's fingerprint. A retry gets the first reply; a retry while
     * the first is still running waits briefly for it, then gets 409. The key reused with
     * another request is 422, as the IETF Idempotency-Key draft and Stripe answer: replaying
     * the first answer would tell the client that a request never applied was done.
     *
     * @param request what the request asks for, as validated values (the account and the
     *                amount, not the strategy: that changes how, not what)
     */
    private Reply idempotent(String key, String route, String request, Write write, Remember remember) {
        if (key == null) return write.apply(null);
        if (key.isBlank() || key.length() > MAX_IDEMPOTENCY_KEY) {
            throw ApiException.badRequest("Idempotency-Key must be 1 to " + MAX_IDEMPOTENCY_KEY + " characters");
        }
        String replyKey = PREFIX + "idem-reply:" + route + ":" + key;
        String printKey = PREFIX + "idem-print:" + route + ":" + key;
        long print = fingerprint(route + " " + request);
        Cell remembered = find(replyKey);
        if (remembered != null) return replayIfSame(remembered, printKey, print, route);
        Reply reply = write.apply(route.equals("like") || route.equals("unlike") ? null : PREFIX + "idem:" + route + ":" + key);
        if (reply.status() == 409 && "duplicate".equals(reply.body().get("error"))) return awaitFirst(replyKey, printKey, print, route);
        if (reply.status() < 500) {
            // The fingerprint first: whoever sees the reply sees what it answered.
            store.createCells(List.of(new Cell(printKey, print, 0)));
            store.createCells(List.of(new Cell(replyKey, remember.valueOf(reply), reply.status())));
        }
        return reply;
    }

    private Reply awaitFirst(String replyKey, String printKey, long print, String route) {
        long deadline = clock.nanoTime() + REPLAY_WAIT.toNanos();
        while (clock.nanoTime() < deadline) {
            Cell remembered = find(replyKey);
            if (remembered != null) return replayIfSame(remembered, printKey, print, route);
            try {
                clock.sleep(Duration.ofMillis(20));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return Reply.error(409, "a request with this Idempotency-Key is still being processed; retry later");
    }

    /** The first reply, when this is the same request; a reply remembered before fingerprints were kept is replayed. */
    private Reply replayIfSame(Cell remembered, String printKey, long print, String route) {
        Cell first = find(printKey);
        if (first != null && first.value() != print) {
            return Reply.error(422, "this Idempotency-Key was used with another request: a retry must repeat the first request,"
                    + " and a new request needs a new key");
        }
        return replay(remembered, route);
    }

    /** The first 64 bits of the request's SHA-256. */
    private static long fingerprint(String request) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(request.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.nio.ByteBuffer.wrap(digest).getLong();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    private static Reply replay(Cell remembered, String route) {
        int status = (int) remembered.version();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("replayed", true);
        if (status >= 300) return new Reply(status, Map.of("error", "this Idempotency-Key was refused before", "replayed", true));
        switch (route) {
            case "deposit" -> body.put("balance", Money.toDecimal(remembered.value()));
            case "increment" -> body.put("value", remembered.value());
            case "order" -> body.put("stock", remembered.value());
            default -> body.put("success", remembered.value() == 1 || route.equals("transfer"));
        }
        return new Reply(status, body);
    }

    private static Map<String, Object> ordered(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) map.put((String) pairs[i], pairs[i + 1]);
        return map;
    }
}
