package dev.racelab.internal.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.racelab.testing.TestStores;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * racelab's own RESP client, on this machine's Redis: each kind of answer read back as it
 * was sent, many callers on one pipelined connection each getting their own answer, and a
 * connection that breaks telling a command never sent from one whose answer was lost.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RespConnectionTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static RespConnections connections(int count) {
        return new RespConnections(RedisURI.create(TestStores.redis().url()), count, TIMEOUT);
    }

    private static Object call(RespConnections c, String... words) {
        return c.call(RespConnection.encode(words));
    }

    @Test
    void everyKindOfAnswerIsReadAsSent() {
        String p = TestStores.uniquePrefix() + "resp:";
        try (RespConnections c = connections(1)) {
            assertThat(call(c, "PING")).isEqualTo("PONG");
            assertThat(call(c, "INCRBY", p + "n", "-7")).isEqualTo(-7L);
            assertThat(call(c, "GET", p + "absent")).isSameAs(RespConnection.NIL);
            assertThat(call(c, "RPUSH", p + "list", "a", "é", "")).isEqualTo(3L);
            assertThat(call(c, "LRANGE", p + "list", "0", "-1")).isEqualTo(List.of("a", "é", ""));
            assertThatThrownBy(() -> call(c, "INCR", p + "list"))
                    .isInstanceOf(RedisCommandExecutionException.class).hasMessageContaining("WRONGTYPE");
            assertThat(call(c, "PING")).as("an error answer leaves the connection usable").isEqualTo("PONG");
            call(c, "DEL", p + "n", p + "list");
        }
    }

    /** Larger than the read buffer: the answer is read across several reads of the socket. */
    @Test
    void anAnswerLargerThanTheReadBufferArrivesWhole() {
        String key = TestStores.uniquePrefix() + "resp:big";
        String value = "0123456789abcdef".repeat(20_000); // 320 KB
        try (RespConnections c = connections(1)) {
            assertThat(call(c, "SET", key, value)).isEqualTo("OK");
            assertThat(call(c, "GET", key)).isEqualTo(value);
            call(c, "DEL", key);
        }
    }

    /** 64 virtual threads, started together, each incrementing its own key on one connection. */
    @Test
    void callersSharingOneConnectionEachGetTheirOwnAnswer() throws Exception {
        String p = TestStores.uniquePrefix() + "resp:";
        int callers = 64;
        int calls = 500;
        CyclicBarrier start = new CyclicBarrier(callers);
        try (RespConnections c = connections(1); ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Boolean>> done = new ArrayList<>();
            for (int t = 0; t < callers; t++) {
                String key = p + t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (long i = 1; i <= calls; i++) {
                        if (!Long.valueOf(i).equals(call(c, "INCR", key))) return false;
                    }
                    return true;
                }));
            }
            for (Future<Boolean> f : done) assertThat(f.get(50, TimeUnit.SECONDS)).as("every answer was the caller's own").isTrue();
            for (int t = 0; t < callers; t++) call(c, "DEL", p + t);
        }
    }

    /**
     * A command the server holds when its connection is killed lost its answer: it may have run
     * (a plain RedisException). The connection stays broken; the next call opens a new one.
     */
    @Test
    void aKilledConnectionLosesTheAnswerInFlightAndTheNextCallReconnects() throws Exception {
        String key = TestStores.uniquePrefix() + "resp:blocked";
        try (RespConnections c = connections(1); RespConnections admin = connections(1)) {
            Object id = call(c, "CLIENT", "ID");
            Future<Object> blocked;
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                blocked = pool.submit(() -> call(c, "BLPOP", key, "20"));
                awaitBlocked(admin, id);
                assertThat(call(admin, "CLIENT", "KILL", "ID", id.toString())).isEqualTo(1L);
                Throwable lost = catchCause(blocked);
                assertThat(lost).isInstanceOf(RedisException.class).isNotInstanceOf(RedisConnectionException.class)
                        .hasMessageContaining("may have run");
            }
            assertThat(call(c, "CLIENT", "ID")).as("a new connection").isNotEqualTo(id);
        }
    }

    private static void awaitBlocked(RespConnections admin, Object id) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            String clients = (String) call(admin, "CLIENT", "LIST", "ID", id.toString());
            if (clients.contains("cmd=blpop")) return;
            Thread.onSpinWait();
        }
        throw new AssertionError("the BLPOP never reached the server");
    }

    private static Throwable catchCause(Future<?> f) throws Exception {
        try {
            f.get(20, TimeUnit.SECONDS);
            throw new AssertionError("the call was answered");
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause();
        }
    }

    @Test
    void aServerThatIsNotThereFailsAsNeverSent() {
        try (RespConnections c = new RespConnections(RedisURI.create("redis://127.0.0.1:1"), 1, TIMEOUT)) {
            assertThatThrownBy(() -> call(c, "PING")).isInstanceOf(RedisConnectionException.class)
                    .hasMessageContaining("cannot connect to redis at");
        }
    }
}
