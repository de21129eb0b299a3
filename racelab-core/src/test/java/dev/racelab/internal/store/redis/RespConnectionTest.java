package dev.racelab.internal.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.racelab.core.Cell;
import dev.racelab.core.Change;
import dev.racelab.core.Operation;
import dev.racelab.store.StoreAddress;
import dev.racelab.testing.TestStores;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * racelab's own RESP client against this machine's Redis (127.0.0.1:6379, or RACELAB_REDIS_URL).
 * Every key is under a prefix of its own, so data left by earlier runs does not matter. A
 * command that must stay unanswered is a BLPOP on a list nobody pushes to: the server holds
 * it, and the test waits until the server's client list shows it held.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RespConnectionTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final String prefix = "racelab:test:" + TestStores.uniquePrefix();

    private static RespEndpoint endpoint() {
        String url = TestStores.redis().url();
        return RespEndpoint.of(url, RedisURI.create(url)).orElseThrow();
    }

    /** A thread name of this test's own, so a leaked reader is found by it. */
    private static String threadName() {
        return "racelab-redis-read-resp-test-" + THREADS.incrementAndGet();
    }

    private static RespConnection open(String threadName) {
        return RespConnection.open(endpoint(), TIMEOUT, threadName);
    }

    private static Object call(RespConnection c, String... words) {
        return c.call(new RespCall.Words(words));
    }

    @Test
    void answersEachKindOfReply() {
        String name = threadName();
        try (RespConnection c = open(name)) {
            assertThat(call(c, "PING")).isEqualTo("PONG");
            assertThat(call(c, "SET", prefix + "s", "héllo")).isEqualTo("OK");
            assertThat(call(c, "GET", prefix + "s")).isEqualTo("héllo");
            assertThat(call(c, "GET", prefix + "missing")).isNull();
            assertThat(call(c, "INCRBY", prefix + "n", "-42")).isEqualTo(-42L);
            assertThat(call(c, "RPUSH", prefix + "l", "a", "", "c")).isEqualTo(3L);
            assertThat(call(c, "LRANGE", prefix + "l", "0", "-1")).isEqualTo(List.of("a", "", "c"));
            assertThat(call(c, "LRANGE", prefix + "missing", "0", "-1")).isEqualTo(List.of());
            assertThat(call(c, "EVAL", "return {1, {2, 'x', {}}, 'y', {false}}", "0"))
                    .isEqualTo(List.of(1L, List.of(2L, "x", List.of()), "y", java.util.Arrays.asList((Object) null)));
            assertThat(catchThrowable(() -> call(c, "INCR", prefix + "s")))
                    .isExactlyInstanceOf(RedisCommandExecutionException.class).hasMessageContaining("not an integer");
            assertThat(catchThrowable(() -> call(c, "EVALSHA", "0".repeat(40), "0"))).isInstanceOf(RedisNoScriptException.class);
            // an error reply is an answer: the connection goes on
            assertThat(c.isBroken()).isFalse();
            assertThat(call(c, "ECHO", "still here")).isEqualTo("still here");
            call(c, "DEL", prefix + "s", prefix + "n", prefix + "l");
        }
        assertNoThread(name);
    }

    @Test
    void manyPipelinedCommandsAreAnsweredInOrder() throws Exception {
        try (RespConnection c = open(threadName())) {
            // One thread sends them all before waiting for any: they go out in batches, pipelined.
            List<RespCall> calls = new ArrayList<>();
            for (int i = 0; i < 20_000; i++) {
                RespCall call = new RespCall.Words("INCR", prefix + "order");
                c.send(call);
                calls.add(call);
            }
            for (int i = 0; i < calls.size(); i++) assertThat(calls.get(i).await()).isEqualTo(i + 1L);
            // Many virtual threads at once: each gets its own answer.
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < 200; t++) {
                    int thread = t;
                    done.add(pool.submit(() -> {
                        for (int i = 0; i < 100; i++) {
                            String word = thread + ":" + i;
                            assertThat(call(c, "ECHO", word)).isEqualTo(word);
                        }
                    }));
                }
                for (Future<?> f : done) f.get(60, TimeUnit.SECONDS);
            }
            assertThat(call(c, "GET", prefix + "order")).isEqualTo("20000");
            call(c, "DEL", prefix + "order");
        }
    }

    @Test
    void aLargeBulkStringGoesAndComesBackWhole() {
        StringBuilder large = new StringBuilder();
        while (large.length() < 3_000_000) large.append("racelab ü € \uD83D\uDE00 "); // 1-, 2-, 3- and 4-byte UTF-8
        String value = large.toString();
        try (RespConnection c = open(threadName())) {
            assertThat(call(c, "SET", prefix + "large", value)).isEqualTo("OK");
            assertThat(call(c, "STRLEN", prefix + "large")).isEqualTo((long) value.getBytes(StandardCharsets.UTF_8).length);
            assertThat(call(c, "GET", prefix + "large")).isEqualTo(value);
            call(c, "DEL", prefix + "large");
        }
    }

    @Test
    void stringsAreEncodedAsJavaEncodesThemInUtf8() {
        String[] samples = {"", "plain", "é", "€uro", "\uD83D\uDE00", "lone \uD800 high", "lone \uDC00 low", "end \uD83D"};
        for (String s : samples) {
            RespWriter w = new RespWriter();
            w.bulk(s);
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            byte[] expected = ("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII);
            byte[] all = new byte[expected.length + bytes.length + 2];
            System.arraycopy(expected, 0, all, 0, expected.length);
            System.arraycopy(bytes, 0, all, expected.length, bytes.length);
            all[all.length - 2] = '\r';
            all[all.length - 1] = '\n';
            assertThat(w.encoded()).as(s).isEqualTo(all);
        }
        RespWriter w = new RespWriter();
        w.bulk(-1234L);
        w.bulk(Long.MIN_VALUE);
        assertThat(new String(w.encoded(), StandardCharsets.US_ASCII)).isEqualTo("$5\r\n-1234\r\n$20\r\n-9223372036854775808\r\n");
    }

    @Test
    void aBrokenConnectionFailsWhatWasWrittenAsMaybeRunAndSendsNothingMore() throws Exception {
        String name = threadName();
        try (RespConnection c = open(name); RespConnection admin = open(threadName())) {
            long id = (Long) call(c, "CLIENT", "ID");
            RespCall held = new RespCall.Words("BLPOP", prefix + "never", "0");
            RespCall behind = new RespCall.Words("ECHO", "behind");
            c.send(held);
            c.send(behind);
            awaitHeld(admin, id);
            assertThat(call(admin, "CLIENT", "KILL", "ID", Long.toString(id))).as("clients killed").isEqualTo(1L);
            for (RespCall written : List.of(held, behind)) {
                Throwable failed = catchThrowable(written::await);
                // neither a refusal nor a command never sent: RedisStore reports it as maybe applied
                assertThat(failed).isExactlyInstanceOf(RedisException.class).hasMessageContaining("it may have run");
            }
            assertThat(c.isBroken()).isTrue();
            assertThat(catchThrowable(() -> call(c, "PING"))).isInstanceOf(RedisConnectionException.class)
                    .hasMessageContaining("not sent");
        }
        assertNoThread(name);
    }

    @Test
    void aCommandUnansweredPastTheTimeoutFailsAsTimedOutAndBreaksTheConnection() throws Exception {
        String name = threadName();
        Duration timeout = Duration.ofSeconds(2);
        try (RespConnection c = RespConnection.open(endpoint(), timeout, name)) {
            long started = System.nanoTime();
            RespCall held = new RespCall.Words("BLPOP", prefix + "never", "0");
            RespCall behind = new RespCall.Words("ECHO", "behind");
            c.send(held);
            c.send(behind);
            assertThat(catchThrowable(held::await)).isInstanceOf(RedisCommandTimeoutException.class)
                    .hasMessage("no answer from redis in 2 s");
            long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertThat(waitedMillis).isBetween(timeout.toMillis(), timeout.toMillis() + 2 * RespConnection.CHECK_EVERY.toMillis() + 1_000);
            assertThat(catchThrowable(behind::await)).isInstanceOf(RedisCommandTimeoutException.class);
            assertThat(c.isBroken()).isTrue();
        }
        assertNoThread(name);
    }

    @Test
    void closeFailsWhatIsPendingAndStopsTheReader() throws Exception {
        String name = threadName();
        RespConnection c = open(name);
        try (RespConnection admin = open(threadName())) {
            long id = (Long) call(c, "CLIENT", "ID");
            CompletableFuture<Object> held = new CompletableFuture<>();
            Thread waiter = Thread.ofVirtual().start(() -> {
                try {
                    held.complete(call(c, "BLPOP", prefix + "never", "0"));
                } catch (RuntimeException e) {
                    held.completeExceptionally(e);
                }
            });
            awaitHeld(admin, id);
            assertThat(readerOf(name)).isNotNull();
            c.close();
            assertThat(waiter.join(Duration.ofSeconds(10))).isTrue();
            Throwable failed = catchThrowable(held::join).getCause();
            assertThat(failed).isExactlyInstanceOf(RedisException.class).hasMessageContaining("the store was closed");
            assertThat(catchThrowable(() -> call(c, "PING"))).isInstanceOf(RedisConnectionException.class);
        }
        assertNoThread(name);
    }

    @Test
    void logsInAsTheUrlSays() {
        String url = TestStores.redis().url().replaceFirst("/\\d*$", "") + "/3?clientName=racelab-resp-test";
        RespEndpoint three = RespEndpoint.of(url, RedisURI.create(url)).orElseThrow();
        assertThat(three.database()).isEqualTo(3);
        try (RespConnection c = RespConnection.open(three, TIMEOUT, threadName())) {
            String info = (String) call(c, "CLIENT", "INFO");
            assertThat(info).contains(" db=3 ").contains(" name=racelab-resp-test ");
        }
        RespEndpoint wrongPassword = new RespEndpoint(three.host(), three.port(), null, "not-the-password", 0, null);
        if (!url.contains("@")) { // this Redis has no password: any AUTH is refused
            assertThat(catchThrowable(() -> RespConnection.open(wrongPassword, TIMEOUT, threadName())))
                    .isInstanceOf(RedisConnectionException.class).hasMessageContaining("refused the login");
        }
    }

    @Test
    void onlyAPlainRedisUrlIsServedDirectly() {
        assertThat(direct("redis://127.0.0.1:6379")).isTrue();
        assertThat(direct("redis://:secret@127.0.0.1:6379/2")).isTrue();
        assertThat(direct("redis-sentinel://127.0.0.1:26379,127.0.0.1:26380/0#mymaster")).isFalse();
        assertThat(direct("redis-sentinel://127.0.0.1:26379?sentinelMasterId=mymaster")).isFalse();
        assertThat(direct("rediss://127.0.0.1:6380")).isFalse();
        assertThat(direct("redis+tls://127.0.0.1:6380")).isFalse();
        assertThat(direct("redis-socket:///tmp/redis.sock")).isFalse();
    }

    private static boolean direct(String url) {
        return RespEndpoint.of(url, RedisURI.create(url)).isPresent();
    }

    /**
     * The store's script calls, over this client, go on after the server dropped the connection:
     * the next call opens another. Only this test's own connections are killed (found by a client
     * name of their own): others may be using this Redis.
     */
    @Test
    void theStoreSendsItsNextScriptCallOnANewConnectionAfterTheServerDroppedIt() {
        String clientName = "racelab-resp-test-" + java.util.UUID.randomUUID();
        String storeName = "resp-test-store-" + THREADS.incrementAndGet();
        String url = TestStores.redis().url().replaceFirst("/\\d*$", "") + "?clientName=" + clientName;
        String key = prefix + "cell";
        try (RedisStore store = RedisStore.open(new StoreAddress(storeName, url), 2); RespConnection admin = open(threadName())) {
            store.createCells(List.of(new Cell(key, 0, 0)));
            assertThat(store.add(new Change(key, 1), Operation.NO_FLOOR)).isTrue();
            String reader = "racelab-redis-read-" + storeName;
            assertThat(readerOf(reader)).as("script calls go over racelab's own client").isNotNull();
            String clients = (String) call(admin, "CLIENT", "LIST", "TYPE", "normal");
            int killed = 0;
            for (String client : clients.lines().filter(l -> l.contains(" name=" + clientName + " ")).toList()) {
                call(admin, "CLIENT", "KILL", "ID", client.substring("id=".length(), client.indexOf(' ')));
                killed++;
            }
            assertThat(killed).as("the store's Lettuce and RESP connections").isGreaterThanOrEqualTo(2);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (readerOf(reader) != null && System.nanoTime() < deadline) pause();
            assertThat(readerOf(reader)).as("the reader of the killed connection has ended").isNull();
            assertThat(store.add(new Change(key, 1), Operation.NO_FLOOR)).as("sent on a new connection").isTrue();
            assertThat(readerOf(reader)).isNotNull();
            Cell after = null;
            for (int attempt = 0; attempt < 3 && after == null; attempt++) {
                try {
                    after = store.read(key); // Lettuce's shared connection was killed too: its first call may fail
                } catch (dev.racelab.core.StoreException e) {
                    assertThat(e.maybeApplied()).isFalse();
                }
            }
            assertThat(after).isEqualTo(new Cell(key, 2, 2));
            store.deleteCells(List.of(key));
        }
    }

    /** Until the server shows client {@code id} blocked (flag b) on a BLPOP. */
    private static void awaitHeld(RespConnection admin, long id) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        String info = "";
        while (System.nanoTime() < deadline) {
            info = (String) call(admin, "CLIENT", "LIST", "ID", Long.toString(id));
            if (info.contains("cmd=blpop") && info.matches("(?s).*flags=\\w*b.*")) return;
            pause(); // a poll with a deadline: this Redis may be busy with others' work
        }
        throw new AssertionError("the server never showed the BLPOP held: " + info);
    }

    private static void pause() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static Thread readerOf(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name) && t.isAlive()).findFirst().orElse(null);
    }

    /** close() joins the reader, so it is gone by now, not eventually. */
    private static void assertNoThread(String name) {
        assertThat(readerOf(name)).as("reader thread %s after close", name).isNull();
    }
}
