package dev.racelab.internal.store.dynamodb;

import static dev.racelab.store.Capability.ATOMIC_ADD;
import static dev.racelab.store.Capability.ATOMIC_GUARD;
import static dev.racelab.store.Capability.CAS;
import static dev.racelab.store.Capability.GUARD_ROW;
import static dev.racelab.store.Capability.READ_WRITE;

import dev.racelab.core.Cell;
import dev.racelab.core.Change;
import dev.racelab.core.FailReason;
import dev.racelab.core.NoSuchCellException;
import dev.racelab.core.Operation;
import dev.racelab.core.Outcome;
import dev.racelab.core.StoreException;
import dev.racelab.core.UsageException;
import dev.racelab.core.Clock;
import dev.racelab.retry.Retrier;
import dev.racelab.retry.RetryPolicy;
import dev.racelab.store.BatchWrite;
import dev.racelab.store.Capability;
import dev.racelab.store.CellStore;
import dev.racelab.store.FenceStore;
import dev.racelab.store.GuardStore;
import dev.racelab.store.GuardedWriteStore;
import dev.racelab.store.StoreAddress;
import dev.racelab.store.StoreErrors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * DynamoDB (or DynamoDB Local) on the AWS SDK v2. Cells are items of {@code racelab_cell}
 * ({@code k}, {@code v}, {@code version}); guard rows are items of {@code racelab_guard}. Every
 * cell write is one conditional UpdateItem, so the store never needs a read to decide; a
 * refused condition hands back the old item, which tells a missing cell from a lost race.
 */
public final class DynamoStore implements CellStore, GuardStore, GuardedWriteStore, FenceStore {
    public static final String REGION_OPTION = "region";
    public static final String LOCAL_OPTION = "local";
    public static final String CELL_TABLE = "racelab_cell";
    public static final String GUARD_TABLE = "racelab_guard";

    /** Single items and TransactWriteItems: no multi-statement transactions, no locks, no leases. */
    public static final Set<Capability> CAPABILITIES = Set.of(READ_WRITE, ATOMIC_ADD, CAS, GUARD_ROW, ATOMIC_GUARD,
            Capability.FENCE);

    /** BatchWriteItem takes at most 25 requests. */
    private static final int BATCH = 25;
    /** Unprocessed deletes are sent again after a backoff with full jitter, 10 times at most. */
    private static final RetryPolicy UNPROCESSED_RETRY =
            RetryPolicy.builder().maxAttempts(10).baseDelay(Duration.ofMillis(50)).maxDelay(Duration.ofMillis(3_200))
                    .deadline(Duration.ofMinutes(2)).build();
    private static final Duration TABLE_WAIT = Duration.ofMinutes(2);

    // Attribute names go through placeholders, so no name can clash with a reserved word.
    private static final String KEY = "k";
    private static final String VALUE = "v";
    private static final String VERSION = "version";
    /** The highest lease fence the cell has accepted; absent until the first fenced read or write. */
    private static final String FENCE = "fence";
    private static final String FENCE_FITS = "attribute_exists(#k) AND (attribute_not_exists(#f) OR #f <= :t)";
    private static final Map<String, String> KEY_NAME = Map.of("#k", KEY);
    private static final String SET_VALUE = "SET #v = :v, #ver = #ver + :one";
    private static final String ADD_VALUE = "SET #v = #v + :d, #ver = #ver + :one";
    private static final String EXISTS = "attribute_exists(#k)";
    private static final String ABSENT = "attribute_not_exists(#k)";
    private static final AttributeValue ONE = number(1);
    private static final Set<String> REFUSED_LOGIN = Set.of("UnrecognizedClientException", "InvalidSignatureException",
            "MissingAuthenticationTokenException", "ExpiredTokenException", "InvalidClientTokenId");

    private final String name;
    private final DynamoDbClient client;
    /**
     * One request in flight per connection. Callers beyond that (a flash sale's 10,000 virtual
     * threads) wait here, parked on a shallow stack, instead of deep inside the SDK with their
     * request already built: waiting in the client's connection pool, they held 340 MB of heap.
     */
    private final Semaphore inFlight;
    private volatile boolean tablesReady;

    private DynamoStore(String name, DynamoDbClient client, int connections) {
        this.name = name;
        this.client = client;
        this.inFlight = new Semaphore(connections, true);
    }

    /** Connects and checks that DynamoDB answers, so a wrong URL fails here in one line. */
    public static DynamoStore open(StoreAddress address, int poolSize) {
        DynamoDbClient client = DynamoClients.build(address, poolSize);
        int connections = DynamoClients.connections(address, poolSize);
        try {
            client.listTables(b -> b.limit(1).overrideConfiguration(c -> c.apiCallTimeout(Duration.ofSeconds(15))));
        } catch (AwsServiceException e) {
            // It answered. Only a refused login stops us here; a missing permission shows up where it matters.
            if (!refusedLogin(e)) return new DynamoStore(address.name(), client, connections);
            client.close();
            throw new UsageException("dynamodb at " + address.url() + " refused racelab's credentials: "
                    + e.awsErrorDetails().errorMessage() + " (set AWS credentials in the environment or a profile)", e);
        } catch (SdkException e) {
            client.close();
            throw new UsageException("cannot reach dynamodb at " + address.url() + ": " + DynamoClients.rootMessage(e)
                    + " (set --dynamodb-url or RACELAB_DYNAMODB_URL, or leave it out to start DynamoDB Local in-process)", e);
        }
        return new DynamoStore(address.name(), client, connections);
    }

    private static boolean refusedLogin(AwsServiceException e) {
        return e.awsErrorDetails() != null && REFUSED_LOGIN.contains(e.awsErrorDetails().errorCode());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    @Override
    public void createCells(List<Cell> cells) {
        call("create cells " + cells.stream().map(Cell::key).toList(), true, () -> {
            ensureTables();
            // A put replaces the whole item, so whatever an earlier run left is gone.
            for (Cell cell : cells) {
                client.putItem(b -> b.tableName(CELL_TABLE).item(Map.of(
                        KEY, string(cell.key()), VALUE, number(cell.value()), VERSION, number(cell.version()))));
            }
            return null;
        });
    }

    @Override
    public void deleteCells(Collection<String> keys) {
        call("delete cells " + keys, true, () -> {
            for (String key : keys) client.deleteItem(b -> b.tableName(CELL_TABLE).key(keyOf(key)));
            return null;
        });
    }

    @Override
    public Cell read(String key) {
        GetItemResponse response = call("read " + key, false,
                () -> client.getItem(b -> b.tableName(CELL_TABLE).key(keyOf(key)).consistentRead(true)));
        if (!response.hasItem() || response.item().isEmpty()) throw missingCell("read", key);
        Map<String, AttributeValue> item = response.item();
        return new Cell(key, longOf(item, VALUE, key), longOf(item, VERSION, key));
    }

    /** A blind write: the version is bumped but not checked, so a naive read-then-write keeps its race. */
    @Override
    public void write(String key, long value) {
        Map<String, String> names = Map.of("#k", KEY, "#v", VALUE, "#ver", VERSION);
        Map<String, AttributeValue> values = Map.of(":v", number(value), ":one", ONE);
        if (!update("write", key, new CellUpdate(SET_VALUE, EXISTS, names, values))) {
            throw new StoreException(name + ": write " + key + " was refused although the cell exists", null, false);
        }
    }

    @Override
    public boolean compareAndSet(String key, long expectedVersion, long newValue) {
        Map<String, String> names = Map.of("#v", VALUE, "#ver", VERSION);
        Map<String, AttributeValue> values = Map.of(":v", number(newValue), ":one", ONE, ":expected", number(expectedVersion));
        return update("compare-and-set", key, new CellUpdate(SET_VALUE, "#ver = :expected", names, values));
    }

    @Override
    public boolean add(Change change, long floor) {
        return update("add to", change.key(), addition(change, floor));
    }

    /**
     * Adds {@code delta} while the result stays at or above the floor: {@code v >= floor - delta}.
     * DynamoDB numbers have 38 digits, so the bound is computed exactly, with no long overflow.
     */
    private static CellUpdate addition(Change change, long floor) {
        Map<String, String> names = Map.of("#k", KEY, "#v", VALUE, "#ver", VERSION);
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":d", number(change.delta()), ":one", ONE));
        String condition = EXISTS;
        if (floor != Operation.NO_FLOOR) {
            BigInteger need = BigInteger.valueOf(floor).subtract(BigInteger.valueOf(change.delta()));
            values.put(":need", AttributeValue.fromN(need.toString()));
            condition = EXISTS + " AND #v >= :need";
        }
        return new CellUpdate(ADD_VALUE, condition, names, values);
    }

    /** One conditional UpdateItem on a cell; false when the condition refused an existing cell. */
    private boolean update(String verb, String key, CellUpdate u) {
        return call(verb + " " + key, true, () -> {
            try {
                client.updateItem(b -> b.tableName(CELL_TABLE).key(keyOf(key))
                        .updateExpression(u.update()).conditionExpression(u.condition())
                        .expressionAttributeNames(u.names()).expressionAttributeValues(u.values())
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
                return true;
            } catch (ConditionalCheckFailedException refused) {
                // The old item comes back with the refusal: none means there is no such cell.
                if (refused.hasItem() && !refused.item().isEmpty()) return false;
                throw missingCell(verb, key);
            }
        });
    }

    /** Raises the fence and reads in one UpdateItem (ALL_NEW); a refused condition hands back the old item or, for a missing cell, none. */
    @Override
    public Optional<Cell> readFenced(String key, long fence) {
        Map<String, String> names = Map.of("#k", KEY, "#f", FENCE);
        Map<String, AttributeValue> values = Map.of(":t", number(fence));
        return call("fenced read of " + key, true, () -> {
            try {
                var response = client.updateItem(b -> b.tableName(CELL_TABLE).key(keyOf(key))
                        .updateExpression("SET #f = :t").conditionExpression(FENCE_FITS)
                        .expressionAttributeNames(names).expressionAttributeValues(values)
                        .returnValues(ReturnValue.ALL_NEW)
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
                Map<String, AttributeValue> item = response.attributes();
                return Optional.of(new Cell(key, longOf(item, VALUE, key), longOf(item, VERSION, key)));
            } catch (ConditionalCheckFailedException refused) {
                if (refused.hasItem() && !refused.item().isEmpty()) return Optional.<Cell>empty();
                throw missingCell("fenced read of", key);
            }
        });
    }

    @Override
    public boolean writeFenced(String key, long value, long fence) {
        Map<String, String> names = Map.of("#k", KEY, "#v", VALUE, "#ver", VERSION, "#f", FENCE);
        Map<String, AttributeValue> values = Map.of(":v", number(value), ":one", ONE, ":t", number(fence));
        return update("fenced write of", key, new CellUpdate(SET_VALUE + ", #f = :t", FENCE_FITS, names, values));
    }

    @Override
    public boolean insertGuard(String key) {
        return call("insert guard " + key, true, () -> {
            try {
                client.putItem(b -> b.tableName(GUARD_TABLE).item(keyOf(key))
                        .conditionExpression(ABSENT).expressionAttributeNames(KEY_NAME));
                return true;
            } catch (ConditionalCheckFailedException exists) {
                return false;
            }
        });
    }

    @Override
    public List<String> guards(String prefix) {
        return call("list guards under " + prefix, false, () -> {
            ensureTables();
            return scanGuards(prefix);
        });
    }

    private List<String> scanGuards(String prefix) {
        ScanRequest.Builder scan = ScanRequest.builder().tableName(GUARD_TABLE).consistentRead(true)
                .projectionExpression("#k").expressionAttributeNames(KEY_NAME);
        if (!prefix.isEmpty()) {
            scan.filterExpression("begins_with(#k, :p)").expressionAttributeValues(Map.of(":p", string(prefix)));
        }
        List<String> keys = new ArrayList<>();
        for (Map<String, AttributeValue> item : client.scanPaginator(scan.build()).items()) keys.add(item.get(KEY).s());
        return keys;
    }

    @Override
    public boolean removeGuard(String key) {
        return call("remove guard " + key, true, () -> {
            var response = client.deleteItem(b -> b.tableName(GUARD_TABLE).key(keyOf(key)).returnValues(ReturnValue.ALL_OLD));
            return response.hasAttributes() && !response.attributes().isEmpty();
        });
    }

    @Override
    public void deleteGuards(String prefix) {
        call("delete guards under " + prefix, true, () -> {
            ensureTables();
            List<String> keys = scanGuards(prefix);
            for (int from = 0; from < keys.size(); from += BATCH) {
                deleteBatch(GUARD_TABLE, keys.subList(from, Math.min(from + BATCH, keys.size())));
            }
            return null;
        });
    }

    /** One BatchWriteItem of deletes, sent again (after a backoff) for whatever DynamoDB left unprocessed. */
    private void deleteBatch(String table, List<String> keys) {
        AtomicReference<Map<String, List<WriteRequest>>> pending = new AtomicReference<>(Map.of(table, keys.stream()
                .map(key -> WriteRequest.builder().deleteRequest(d -> d.key(keyOf(key))).build()).toList()));
        Outcome sent = new Retrier(UNPROCESSED_RETRY, Clock.SYSTEM, ThreadLocalRandom.current()).run(() -> {
            BatchWriteItemResponse response = client.batchWriteItem(b -> b.requestItems(pending.get()));
            pending.set(response.hasUnprocessedItems() ? response.unprocessedItems() : Map.of());
            return pending.get().isEmpty() ? Outcome.ok() : Outcome.fail(FailReason.CONFLICT);
        });
        if (!sent.isOk()) {
            throw new StoreException(name + ": DynamoDB kept " + pending.get().get(table).size() + " deletes from "
                    + table + " unprocessed", null, false);
        }
    }

    /**
     * One TransactWriteItems: an Update per change under the floor and the Put of the guard (or,
     * to release it, a Delete that needs it there), all or nothing. A cancellation lists a
     * reason per item, in order, which gives the outcome.
     */
    @Override
    public Outcome addGuarded(Operation op) {
        List<TransactWriteItem> items = new ArrayList<>();
        for (Change change : op.changes()) {
            CellUpdate u = addition(change, op.floor());
            items.add(TransactWriteItem.builder().update(b -> b.tableName(CELL_TABLE).key(keyOf(change.key()))
                    .updateExpression(u.update()).conditionExpression(u.condition())
                    .expressionAttributeNames(u.names()).expressionAttributeValues(u.values())
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).build());
        }
        if (op.hasGuard() && op.releasesGuard()) {
            items.add(TransactWriteItem.builder().delete(b -> b.tableName(GUARD_TABLE).key(keyOf(op.guard()))
                    .conditionExpression(EXISTS).expressionAttributeNames(KEY_NAME)).build());
        } else if (op.hasGuard()) {
            items.add(TransactWriteItem.builder().put(b -> b.tableName(GUARD_TABLE).item(keyOf(op.guard()))
                    .conditionExpression(ABSENT).expressionAttributeNames(KEY_NAME)).build());
        }
        String operation = "apply operation " + op.id() + " to " + op.changes().stream().map(Change::key).toList()
                + (op.hasGuard() ? " with guard " + op.guard() : "");
        return call(operation, true, () -> {
            try {
                client.transactWriteItems(b -> b.transactItems(items));
                return Outcome.ok();
            } catch (TransactionCanceledException cancelled) {
                return whyCancelled(op, operation, cancelled);
            } catch (AwsServiceException e) {
                // Still queued for DynamoDB Local's table lock after the SDK's retries: nothing was applied.
                if (DynamoClients.localLockTimeout(e)) return Outcome.fail(FailReason.LOCK_TIMEOUT);
                throw e;
            }
        });
    }

    /** One UpdateItem that answers the item it wrote (ALL_NEW): exactly this add's result, in one request. */
    @Override
    public Optional<Cell> addAndGet(Change change, long floor) {
        CellUpdate u = addition(change, floor);
        return call("add to " + change.key(), true, () -> {
            try {
                var response = client.updateItem(b -> b.tableName(CELL_TABLE).key(keyOf(change.key()))
                        .updateExpression(u.update()).conditionExpression(u.condition())
                        .expressionAttributeNames(u.names()).expressionAttributeValues(u.values())
                        .returnValues(ReturnValue.ALL_NEW)
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
                Map<String, AttributeValue> item = response.attributes();
                return Optional.of(new Cell(change.key(), longOf(item, VALUE, change.key()), longOf(item, VERSION, change.key())));
            } catch (ConditionalCheckFailedException refused) {
                if (refused.hasItem() && !refused.item().isEmpty()) return Optional.<Cell>empty();
                throw missingCell("add to", change.key());
            }
        });
    }

    /** A transaction holds at most 100 items: the cell and 99 guard rows. */
    @Override
    public int maxBatchGuards() {
        return 99;
    }

    /**
     * Without guards, one UpdateItem (answering the cell); with them, one TransactWriteItems:
     * the cell's Update under the floor and a Put per guard row that must not exist. A guard
     * named twice is refused before anything is sent (DynamoDB rejects two actions on one item).
     */
    @Override
    public BatchWrite addBatch(Change sum, long floor, List<String> guards) {
        checkBatchSize(guards);
        if (guards.isEmpty()) {
            return addAndGet(sum, floor).map(cell -> new BatchWrite(Outcome.ok(), cell))
                    .orElseGet(() -> BatchWrite.refused(Outcome.fail(FailReason.FLOOR)));
        }
        if (new java.util.HashSet<>(guards).size() != guards.size()) return BatchWrite.refused(Outcome.fail(FailReason.DUPLICATE));
        CellUpdate u = addition(sum, floor);
        List<TransactWriteItem> items = new ArrayList<>(guards.size() + 1);
        items.add(TransactWriteItem.builder().update(b -> b.tableName(CELL_TABLE).key(keyOf(sum.key()))
                .updateExpression(u.update()).conditionExpression(u.condition())
                .expressionAttributeNames(u.names()).expressionAttributeValues(u.values())
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).build());
        for (String guard : guards) {
            items.add(TransactWriteItem.builder().put(b -> b.tableName(GUARD_TABLE).item(keyOf(guard))
                    .conditionExpression(ABSENT).expressionAttributeNames(KEY_NAME)).build());
        }
        String operation = "add a batch of " + guards.size() + " to " + sum.key();
        return call(operation, true, () -> {
            try {
                client.transactWriteItems(b -> b.transactItems(items));
                return new BatchWrite(Outcome.ok(), null);
            } catch (TransactionCanceledException cancelled) {
                return BatchWrite.refused(whyCancelled(new Operation(0, List.of(sum), floor, guards.get(0)), operation, cancelled));
            } catch (AwsServiceException e) {
                if (DynamoClients.localLockTimeout(e)) return BatchWrite.refused(Outcome.fail(FailReason.LOCK_TIMEOUT));
                throw e;
            }
        });
    }

    /**
     * A duplicate wins over a floor refusal: when a retried operation finds its own guard, the
     * floor may refuse only because the first attempt already took the stock.
     */
    private Outcome whyCancelled(Operation op, String operation, TransactionCanceledException cancelled) {
        List<CancellationReason> reasons = cancelled.hasCancellationReasons() ? cancelled.cancellationReasons() : List.of();
        boolean duplicate = false;
        boolean floor = false;
        boolean conflict = false;
        for (int i = 0; i < reasons.size(); i++) {
            CancellationReason reason = reasons.get(i);
            String code = String.valueOf(reason.code());
            if (code.equals("ConditionalCheckFailed")) {
                if (i >= op.changes().size()) {
                    duplicate = true;
                } else if (reason.hasItem() && !reason.item().isEmpty()) {
                    floor = true;
                } else {
                    throw missingCell(operation, op.changes().get(i).key());
                }
            } else if (code.equals("TransactionConflict")) {
                conflict = true;
            }
        }
        if (duplicate) return Outcome.fail(op.releasesGuard() ? FailReason.ABSENT : FailReason.DUPLICATE);
        if (floor) return Outcome.fail(FailReason.FLOOR);
        if (conflict) return Outcome.fail(FailReason.CONFLICT);
        throw new StoreException(name + ": " + operation + " was cancelled: "
                + reasons.stream().map(r -> r.code() + (r.message() == null ? "" : " (" + r.message() + ")")).toList(),
                cancelled, false);
    }

    @Override
    public void close() {
        client.close();
    }

    /**
     * Runs one request. A missing table is created and the request sent once more (the first
     * run against a fresh DynamoDB); any other SDK failure becomes one StoreException.
     */
    private <T> T call(String operation, boolean write, Supplier<T> request) {
        awaitConnection(operation);
        try {
            try {
                return request.get();
            } catch (ResourceNotFoundException noTable) {
                if (tablesReady) throw noTable;
                ensureTables();
                return request.get();
            }
        } catch (SdkException e) {
            String message = e instanceof AwsServiceException s && s.awsErrorDetails() != null
                    ? s.awsErrorDetails().errorCode() + ": " + s.awsErrorDetails().errorMessage()
                    : DynamoClients.rootMessage(e);
            throw StoreErrors.failure(name, operation, message, e, write && DynamoClients.maybeApplied(e));
        } finally {
            inFlight.release();
        }
    }

    /** Waits for a free connection, as long as the client's own pool would have; nothing is sent before. */
    private void awaitConnection(String operation) {
        try {
            if (inFlight.tryAcquire(DynamoClients.CONNECTION_WAIT.toMillis(), TimeUnit.MILLISECONDS)) return;
            throw new StoreException(name + ": " + operation + " failed: no connection free within "
                    + DynamoClients.CONNECTION_WAIT.toMinutes() + " min", null, false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(name + ": " + operation + " interrupted while waiting for a connection", e, false);
        }
    }

    private void ensureTables() {
        if (tablesReady) return;
        synchronized (this) {
            if (tablesReady) return;
            ensureTable(CELL_TABLE);
            ensureTable(GUARD_TABLE);
            tablesReady = true;
        }
    }

    private void ensureTable(String table) {
        try {
            if (client.describeTable(b -> b.tableName(table)).table().tableStatus() == TableStatus.ACTIVE) return;
        } catch (ResourceNotFoundException missing) {
            try {
                client.createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                        .attributeDefinitions(AttributeDefinition.builder()
                                .attributeName(KEY).attributeType(ScalarAttributeType.S).build())
                        .keySchema(KeySchemaElement.builder().attributeName(KEY).keyType(KeyType.HASH).build()));
            } catch (ResourceInUseException createdMeanwhile) {
                // another process created it first: just wait for it like for our own
            }
        }
        long deadline = System.nanoTime() + TABLE_WAIT.toNanos();
        while (client.describeTable(b -> b.tableName(table)).table().tableStatus() != TableStatus.ACTIVE) {
            if (System.nanoTime() > deadline) {
                throw new StoreException(name + ": table " + table + " is not ACTIVE after " + TABLE_WAIT.toSeconds() + " s",
                        null, false);
            }
            pause(Duration.ofMillis(250));
        }
    }

    private NoSuchCellException missingCell(String operation, String key) {
        return new NoSuchCellException(key, name + ": " + operation + " " + key + ": no cell '" + key + "' in " + CELL_TABLE);
    }

    private long longOf(Map<String, AttributeValue> item, String attribute, String key) {
        AttributeValue value = item.get(attribute);
        try {
            return new BigDecimal(value.n()).longValueExact();
        } catch (NullPointerException | ArithmeticException | NumberFormatException e) {
            throw new StoreException(name + ": cell '" + key + "' has no whole number in '" + attribute + "' that fits"
                    + " a long: " + value, e, false);
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for DynamoDB", e, false);
        }
    }

    private static Map<String, AttributeValue> keyOf(String key) {
        return Map.of(KEY, string(key));
    }

    private static AttributeValue string(String s) {
        return AttributeValue.fromS(s);
    }

    private static AttributeValue number(long n) {
        return AttributeValue.fromN(Long.toString(n));
    }

    /** An update expression with its condition and the names and values both use. */
    private record CellUpdate(String update, String condition, Map<String, String> names,
                              Map<String, AttributeValue> values) {
    }
}
