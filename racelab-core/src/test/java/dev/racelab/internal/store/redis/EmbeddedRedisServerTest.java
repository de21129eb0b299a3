package dev.racelab.internal.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.racelab.core.Cell;
import dev.racelab.core.Change;
import dev.racelab.core.FailReason;
import dev.racelab.core.Operation;
import dev.racelab.core.Outcome;
import dev.racelab.core.StoreException;
import dev.racelab.core.UsageException;
import dev.racelab.store.Layout;
import dev.racelab.store.Lease;
import dev.racelab.store.StoreAddress;
import dev.racelab.testing.TestStores;
import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The embedded Redis starts on loopback with no persistence and answers, and the Redis store
 * works against it, including what the shared contract cannot provoke on a server it does
 * not own: connections that break, and a server that goes away mid-command.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EmbeddedRedisServerTest {
    private static EmbeddedRedisServer server;

    @BeforeAll
    static void start() {
        server = EmbeddedRedisServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static StoreAddress address(EmbeddedRedisServer s) {
        return new StoreAddress("redis-embedded", s.url());
    }

    private static void withAdmin(EmbeddedRedisServer s, Consumer<RedisCommands<String, String>> body) {
        RedisClient client = RedisClient.create(s.url());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            body.accept(c.sync());
        } finally {
            client.shutdown();
        }
    }

    @Test
    void listensOnLoopbackWithoutPersistenceAndAnswers() {
        assertThat(server.url()).isEqualTo("redis://127.0.0.1:" + server.port());
        withAdmin(server, redis -> {
            assertThat(redis.ping()).isEqualTo("PONG");
            assertThat(redis.configGet("bind")).containsEntry("bind", "127.0.0.1");
            assertThat(redis.configGet("save")).containsEntry("save", "");
            assertThat(redis.configGet("appendonly")).containsEntry("appendonly", "no");
            assertThat(redis.info("server")).contains("redis_version:6.");
        });
    }

    @Test
    void theRedisStoreWorksAgainstIt() {
        String p = TestStores.uniquePrefix();
        try (RedisStore store = RedisStore.open(address(server), 4)) {
            assertThat(store.name()).isEqualTo("redis-embedded");
            store.createCells(List.of(new Cell(p + "stock", 3, 0)));
            assertThat(store.add(new Change(p + "stock", -2), 0)).isTrue();
            assertThat(store.add(new Change(p + "stock", -2), 0)).as("below the floor").isFalse();
            assertThat(store.compareAndSet(p + "stock", 1, 10)).isTrue();
            assertThat(store.read(p + "stock")).isEqualTo(new Cell(p + "stock", 10, 2));
            Operation order = new Operation(7, List.of(new Change(p + "stock", -1)), 0, p + "order:7");
            assertThat(store.addGuarded(order)).isEqualTo(Outcome.ok());
            assertThat(store.addGuarded(order)).isEqualTo(Outcome.fail(FailReason.DUPLICATE));
            assertThat(store.guards(p)).containsExactly(p + "order:7");
            Lease lease = store.tryLease(p + "lock", Duration.ofSeconds(5)).orElseThrow();
            assertThat(store.releaseLease(lease)).isTrue();
            store.deleteGuards(p);
            store.deleteCells(List.of(p + "stock"));
            assertThatThrownBy(() -> store.read(p + "stock")).isInstanceOf(StoreException.class).hasMessageContaining(p + "stock");
        }
    }

    /** A flash sale: 10,000 virtual threads buy from 5,000 items over the one shared connection. */
    @Test
    void tenThousandVirtualBuyersTakeExactlyTheStock() throws Exception {
        String key = TestStores.uniquePrefix() + "stock";
        int buyers = 10_000;
        try (RedisStore store = RedisStore.open(address(server), buyers);
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            store.createCells(List.of(new Cell(key, buyers / 2, 0)));
            List<Future<Boolean>> bought = new ArrayList<>();
            for (int i = 0; i < buyers; i++) bought.add(pool.submit(() -> store.add(new Change(key, -1), 0)));
            int sold = 0;
            for (Future<Boolean> f : bought) sold += f.get(60, TimeUnit.SECONDS) ? 1 : 0;
            assertThat(sold).isEqualTo(buyers / 2);
            assertThat(store.read(key)).isEqualTo(new Cell(key, 0, buyers / 2));
        }
    }

    /** Many virtual threads race WATCH/MULTI/EXEC on one key: none may lose, and the connections stay few. */
    @Test
    void compareAndSetFromManyVirtualThreadsLosesNothingOnFewConnections() throws Exception {
        String key = TestStores.uniquePrefix() + "counter";
        int threads = 200;
        try (RedisStore store = RedisStore.open(address(server), threads);
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            store.createCells(List.of(new Cell(key, 0, 0)));
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                done.add(pool.submit(() -> {
                    while (true) {
                        Cell cell = store.read(key);
                        if (store.compareAndSet(key, cell.version(), cell.value() + 1)) return;
                        sleep(ThreadLocalRandom.current().nextInt(3)); // a little jitter, as a retry policy would
                    }
                }));
            }
            for (Future<?> f : done) f.get(90, TimeUnit.SECONDS);
            assertThat(store.read(key)).isEqualTo(new Cell(key, threads, threads));
            withAdmin(server, redis -> assertThat(redis.clientList().lines().count())
                    .as("one shared Lettuce connection, one for script calls, at most %d for WATCH, and this one",
                            RedisStore.MAX_WATCH_CONNECTIONS)
                    .isLessThanOrEqualTo(1 + 1 + RedisStore.MAX_WATCH_CONNECTIONS + 1));
        }
    }

    @Test
    void aConnectionTheServerDropsIsReplacedOnTheNextCall() {
        String key = TestStores.uniquePrefix() + "a";
        try (RedisStore store = RedisStore.open(address(server), 2)) {
            store.createCells(List.of(new Cell(key, 5, 0)));
            assertThat(store.compareAndSet(key, 0, 6)).isTrue();
            withAdmin(server, redis -> assertThat(redis.clientKill(KillArgs.Builder.typeNormal())).isGreaterThanOrEqualTo(2));
            assertThat(eventually(() -> store.read(key))).isEqualTo(new Cell(key, 6, 1));
            assertThat(eventually(() -> store.compareAndSet(key, 1, 7))).isTrue();
            assertThat(store.read(key)).isEqualTo(new Cell(key, 7, 2));
        }
    }

    /**
     * A write is sent while the server holds every writer (CLIENT PAUSE ... WRITE), then the
     * server stops: the write's fate is unknown, and the store must say so rather than replay it
     * elsewhere. The server is stopped once its own client list shows the write held there.
     */
    @Test
    void aWriteCutOffByAServerThatStopsIsMaybeApplied() throws Exception {
        EmbeddedRedisServer doomed = EmbeddedRedisServer.start();
        String key = TestStores.uniquePrefix() + "a";
        try (RedisStore store = RedisStore.open(address(doomed), 2)) {
            store.createCells(List.of(new Cell(key, 5, 0)));
            withAdmin(doomed, redis -> assertThat(redis.dispatch(CommandType.CLIENT, new StatusOutput<>(StringCodec.UTF8),
                    new CommandArgs<>(StringCodec.UTF8).add("PAUSE").add(30_000).add("WRITE"))).isEqualTo("OK"));
            CompletableFuture<Boolean> add = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    add.complete(store.add(new Change(key, 1), Operation.NO_FLOOR));
                } catch (RuntimeException e) {
                    add.completeExceptionally(e);
                }
            });
            awaitAWriteHeldByThePause(doomed, add);
            doomed.close();
            StoreException cutOff = catchThrowableOfType(StoreException.class, () -> join(add));
            assertThat(cutOff.maybeApplied()).as(cutOff.getMessage()).isTrue();
            assertThat(cutOff.getMessage()).contains("add to " + key);
            StoreException refused = catchThrowableOfType(StoreException.class, () -> store.read(key));
            assertThat(refused.maybeApplied()).as("a read never applies anything").isFalse();
        } finally {
            doomed.close();
        }
    }

    /**
     * Until the server's client list shows a client blocked (flag b) on the store's script, the
     * command the pause holds: it reached the server and will get no answer.
     */
    private static void awaitAWriteHeldByThePause(EmbeddedRedisServer s, CompletableFuture<Boolean> add) {
        withAdmin(s, redis -> {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            String clients = "";
            while (System.nanoTime() < deadline) {
                if (add.isDone()) throw new AssertionError("the add was answered during the pause: " + add);
                clients = redis.clientList();
                if (clients.lines().anyMatch(EmbeddedRedisServerTest::heldScript)) return;
                Thread.onSpinWait();
            }
            throw new AssertionError("the server never showed the add held by the pause; its clients:\n" + clients);
        });
    }

    private static boolean heldScript(String client) {
        List<String> fields = List.of(client.split(" "));
        return fields.stream().anyMatch(f -> f.startsWith("flags=") && f.contains("b"))
                && fields.stream().anyMatch(f -> f.equals("cmd=evalsha") || f.equals("cmd=eval"));
    }

    @Test
    void aServerThatIsNotThereIsAUsageErrorInOneLine() {
        EmbeddedRedisServer gone = EmbeddedRedisServer.start();
        gone.close();
        assertThatThrownBy(() -> RedisStore.open(address(gone), 1))
                .isInstanceOf(UsageException.class)
                .hasMessage("cannot connect to redis at " + gone.url()
                        + ": Connection refused (is Redis running? set --redis-url or RACELAB_REDIS_URL)");
    }

    @Test
    void closingTheStoreStopsLettucesThreads() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        try (RedisStore store = RedisStore.open(address(server), 2)) {
            String key = TestStores.uniquePrefix() + "a";
            store.createCells(List.of(new Cell(key, 0, 0)));
            assertThat(store.compareAndSet(key, 0, 1)).isTrue();
            assertThat(store.add(new Change(key, 1), Operation.NO_FLOOR)).isTrue();
            assertThat(lettuceThreadsStartedSince(before)).as("the store runs on Lettuce's threads").isNotEmpty();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!lettuceThreadsStartedSince(before).isEmpty() && System.nanoTime() < deadline) Thread.sleep(50);
        assertThat(lettuceThreadsStartedSince(before)).as("Lettuce's or the RESP client's threads still alive after close").isEmpty();
    }

    private static List<String> lettuceThreadsStartedSince(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !before.contains(t) && t.isAlive() && (t.getName().startsWith("lettuce-") || t.getName().startsWith("racelab-redis-")))
                .map(Thread::getName).toList();
    }

    private static <T> T eventually(Supplier<T> call) {
        StoreException last = null;
        for (int attempt = 0; attempt < 50; attempt++) {
            try {
                return call.get();
            } catch (StoreException e) {
                last = e;
                sleep(20);
            }
        }
        throw last;
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new AssertionError(e.getCause());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** Its redis-server is found among racelab's own child processes, by its port, and stopped whole. */
    @Test
    void aPausedServerAnswersNothingUntilItIsContinued() throws Exception {
        try (EmbeddedRedisServer own = EmbeddedRedisServer.start()) {
            assertThat(own.whyItCannotPause()).isEmpty();
            RedisClient client = RedisClient.create(own.url());
            client.setDefaultTimeout(Duration.ofMillis(500));
            try (StatefulRedisConnection<String, String> c = client.connect()) {
                assertThat(c.sync().ping()).isEqualTo("PONG");
                own.pauseServer();
                try {
                    assertThatThrownBy(() -> c.sync().ping()).as("a stopped server answers nothing").isInstanceOf(RuntimeException.class);
                } finally {
                    own.resumeServer();
                }
                assertThat(c.sync().ping()).isEqualTo("PONG");
            } finally {
                client.shutdown();
            }
        }
    }
}
