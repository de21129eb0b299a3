package dev.racelab.internal.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racelab.internal.report.RunResult;
import dev.racelab.internal.store.redis.EmbeddedRedisServer;
import dev.racelab.internal.faults.ServerControl;
import dev.racelab.internal.os.Signals;
import dev.racelab.internal.vocab.FaultKind;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The nemesis never leaves a server frozen or down behind a run, and a fault that fails does not
 * silently end the schedule. Both on a real redis-server racelab starts (a child of this JVM), at
 * moments the test forces: the run ends while a pause is stopping the server; a restart whose
 * start fails because another process took the server's port meanwhile.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NemesisEndsCleanTest {

    /**
     * The load ends (the coordinator closes the nemesis) while the nemesis is in the middle of
     * stopping the server's processes: the server must be running when close() returns.
     */
    @Test
    void aRunThatEndsWhileAPauseIsStoppingTheServerLeavesTheServerRunning() throws Exception {
        try (EmbeddedRedisServer redis = EmbeddedRedisServer.start()) {
            long pid = redisPid(redis);
            CountDownLatch stopping = new CountDownLatch(1);
            CountDownLatch closeCalled = new CountDownLatch(1);
            ServerControl pausedMidStop = new Delegating(redis) {
                @Override
                public void pauseServer() {
                    stopping.countDown();
                    try {
                        closeCalled.await(); // here the nemesis is in the middle of stopping the server
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt(); // close() interrupted the stop: it goes on with the flag set
                    }
                    super.pauseServer();
                }
            };
            NemesisPlan plan = new NemesisPlan(List.of(FaultKind.PAUSE_STORE), Duration.ofMillis(100), Duration.ofSeconds(60));
            StringWriter progress = new StringWriter();
            Nemesis nemesis = Nemesis.start(plan, Duration.ofSeconds(10), false, pausedMidStop, null, List::of, System.nanoTime(),
                    new PrintWriter(progress));
            assertThat(stopping.await(30, TimeUnit.SECONDS)).as("the nemesis began the pause").isTrue();
            Thread closer = Thread.ofPlatform().start(() -> {
                try {
                    nemesis.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            // close() has done what it does at once (mark the schedule stopped, maybe interrupt) and waits for the nemesis
            awaitTrue(() -> closer.getState() == Thread.State.TIMED_WAITING || !closer.isAlive());
            closeCalled.countDown();
            closer.join(TimeUnit.SECONDS.toMillis(60));
            boolean leftStopped = Signals.isStopped(pid);
            if (leftStopped) Signals.send("CONT", List.of(pid)); // so that the server can be shut down after the failure
            assertThat(closer.isAlive()).as("close() returned, the pause cut short").isFalse();
            assertThat(leftStopped).as("redis-server (pid %d) left stopped; %s", pid, progress).isFalse();
            assertThat(ping(redis)).isEqualTo("PONG");
            assertThat(nemesis.faults()).extracting(RunResult.Fault::kind).containsExactly(FaultKind.PAUSE_STORE);
        }
    }

    /**
     * The first restart's start fails for real (another process holds the server's port when it
     * starts again): the failure is said and recorded, and the next fault still comes.
     */
    @Test
    void aRestartWhoseStartFailsIsRecordedAndTheScheduleGoesOn() throws Exception {
        try (EmbeddedRedisServer redis = EmbeddedRedisServer.start()) {
            AtomicInteger restarts = new AtomicInteger();
            ServerSocket[] squatter = new ServerSocket[1];
            ServerControl portTakenOnce = new Delegating(redis) {
                @Override
                public void stopServer() {
                    super.stopServer();
                    if (restarts.incrementAndGet() == 1) {
                        try {
                            squatter[0] = new ServerSocket(redis.port(), 1, InetAddress.getByName("127.0.0.1"));
                        } catch (java.io.IOException e) {
                            throw new IllegalStateException("the test could not take the port", e);
                        }
                    }
                }

                @Override
                public void startServer() {
                    try {
                        super.startServer();
                    } finally {
                        if (squatter[0] != null) {
                            try {
                                squatter[0].close();
                            } catch (java.io.IOException ignored) {
                                // closed
                            }
                            squatter[0] = null;
                        }
                    }
                }
            };
            NemesisPlan plan = new NemesisPlan(List.of(FaultKind.RESTART_STORE), Duration.ofMillis(200), Duration.ofSeconds(1));
            StringWriter progress = new StringWriter();
            Nemesis nemesis = Nemesis.start(plan, Duration.ofSeconds(10), false, portTakenOnce, null, List::of, System.nanoTime(),
                    new PrintWriter(progress));
            try {
                awaitTrue(() -> nemesis.faults().size() >= 2);
            } finally {
                nemesis.close();
            }
            assertThat(progress.toString()).contains("restart-store failed at");
            assertThat(nemesis.faults().get(0).failure()).as("the first restart is recorded as failed").contains(String.valueOf(redis.port()));
            assertThat(nemesis.faults().get(1).failure()).as("the second went as planned").isNull();
            assertThat(nemesis.faults()).as(progress.toString()).hasSizeGreaterThanOrEqualTo(2)
                    .allMatch(f -> f.kind() == FaultKind.RESTART_STORE);
            assertThat(ping(redis)).as("the later restart brought the server back").isEqualTo("PONG");
        }
    }

    private static void awaitTrue(java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not within 30 s");
            Thread.sleep(5);
        }
    }

    private static String ping(EmbeddedRedisServer redis) {
        RedisURI uri = RedisURI.create(redis.url());
        uri.setTimeout(Duration.ofSeconds(5));
        RedisClient client = RedisClient.create(uri);
        try (var c = client.connect()) {
            return c.sync().ping();
        } finally {
            client.shutdown();
        }
    }

    private static long redisPid(EmbeddedRedisServer redis) {
        RedisURI uri = RedisURI.create(redis.url());
        RedisClient client = RedisClient.create(uri);
        try (var c = client.connect()) {
            return c.sync().info("server").lines().filter(l -> l.startsWith("process_id:"))
                    .map(l -> Long.parseLong(l.substring(11).trim())).findFirst().orElseThrow();
        } finally {
            client.shutdown();
        }
    }

    /** The real server's control, with a moment of the test's own inserted. */
    private static class Delegating implements ServerControl {
        private final ServerControl real;

        Delegating(ServerControl real) {
            this.real = real;
        }

        @Override
        public String describe() {
            return real.describe();
        }

        @Override
        public void stopServer() {
            real.stopServer();
        }

        @Override
        public void startServer() {
            real.startServer();
        }

        @Override
        public Optional<String> whyItCannotPause() {
            return real.whyItCannotPause();
        }

        @Override
        public void pauseServer() {
            real.pauseServer();
        }

        @Override
        public void resumeServer() {
            real.resumeServer();
        }
    }
}
