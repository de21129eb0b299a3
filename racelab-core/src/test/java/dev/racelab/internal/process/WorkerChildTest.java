package dev.racelab.internal.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racelab.core.Clock;
import dev.racelab.internal.process.WorkerEvent.Exited;
import dev.racelab.internal.process.WorkerEvent.Said;
import dev.racelab.internal.process.WorkerMessage.Done;
import dev.racelab.internal.process.WorkerMessage.Hold;
import dev.racelab.internal.process.WorkerMessage.Holding;
import dev.racelab.internal.process.WorkerMessage.Progress;
import dev.racelab.internal.process.WorkerMessage.Ready;
import dev.racelab.internal.process.WorkerMessage.Stop;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker protocol's lifecycle with real worker JVMs ({@link ProtocolTestWorker}): both sides, every way a worker ends. */
class WorkerChildTest {
    private static final long WITHIN = TimeUnit.SECONDS.toNanos(60);
    private final Clock clock = Clock.SYSTEM;
    private final List<WorkerChild> started = new ArrayList<>();
    private final List<Process> rawStarted = new ArrayList<>();
    @TempDir
    Path dir;

    @AfterEach
    void killLeftovers() {
        started.forEach(WorkerChild::kill);
        rawStarted.forEach(Process::destroyForcibly);
    }

    private WorkerChild start(String mode, long ops, Consumer<WorkerEvent> listener) throws IOException {
        List<String> cmd = WorkerJvm.command(ProtocolTestWorker.class.getName(), 1, List.of(mode, Long.toString(ops)));
        WorkerChild child = WorkerChild.start("test worker " + mode, cmd, dir.resolve(mode + ".err"), clock, listener);
        started.add(child);
        return child;
    }

    private long deadline() {
        return clock.nanoTime() + WITHIN;
    }

    @Test
    void aWorkerIsReleasedAtTheBarrierHoldsReportsProgressAndEndsWithItsCount() throws Exception {
        List<WorkerEvent> heard = new CopyOnWriteArrayList<>();
        // The exit is said to listeners just after the state records it, so awaitExit may return first.
        java.util.concurrent.CountDownLatch exitHeard = new java.util.concurrent.CountDownLatch(1);
        WorkerEvents events = new WorkerEvents(clock);
        WorkerChild w = start("count", 1_000, e -> {
            heard.add(e);
            if (e instanceof Exited) exitHeard.countDown();
            events.sink().accept(e);
        });
        assertThat(events.awaitReady(List.of(w), deadline())).isEqualTo(new WorkerEvents.AllReady());
        assertThat(w.state().running()).as("ready but not released").isFalse();

        w.send(new Hold(HoldMoment.APPLIED)); // before GO: its first operation holds, so the load is caught mid-way
        w.go();
        WorkerState holding = w.await(s -> s.holding() != null, deadline());
        assertThat(holding.holding()).isEqualTo(new Holding(HoldMoment.APPLIED, 0, "cell:0"));
        assertThat(holding.running()).isTrue();
        // while it holds, its progress still comes every quarter second
        assertThat(w.await(s -> s.completed() == 1, deadline()).completed()).isEqualTo(1);

        assertThat(w.releaseHold()).isTrue();
        assertThat(w.releaseHold()).as("a hold is sent on once").isFalse();
        assertThat(w.awaitExit(deadline())).isTrue();
        assertThat(exitHeard.await(WITHIN, TimeUnit.NANOSECONDS)).as("the exit said to listeners").isTrue();

        WorkerState end = w.state();
        assertThat(end.done()).isTrue();
        assertThat(end.completed()).isEqualTo(1_000);
        assertThat(end.exitCode()).isEqualTo(WorkerChannel.EXIT_DONE);
        assertThat(end.diedEarly()).isFalse();
        assertThat(heard.get(0)).isEqualTo(new Said(w, new Ready()));
        assertThat(heard).contains(new Said(w, new Holding(HoldMoment.APPLIED, 0, "cell:0")), new Said(w, new Progress(1)));
        assertThat(heard.subList(heard.size() - 2, heard.size()))
                .as("DONE with the count, then the exit, after everything it said")
                .containsExactly(new Said(w, new Done(1_000)), new Exited(w, 0));
    }

    @Test
    void stopEndsTheLoadEarlyAndTheWorkerSaysHowFarItGot() throws Exception {
        WorkerChild w = start("count", Long.MAX_VALUE, e -> {
        });
        w.await(WorkerState::ready, deadline());
        w.send(new Hold(HoldMoment.BETWEEN_READ_AND_WRITE));
        w.go();
        w.await(s -> s.holding() != null, deadline());
        w.send(new Stop());
        w.releaseHold();
        assertThat(w.awaitExit(deadline())).isTrue();
        assertThat(w.state().done()).isTrue();
        assertThat(w.state().completed()).isBetween(1L, 2L); // the operation held, and at most the one in hand at STOP
        assertThat(w.state().exitCode()).isZero();
    }

    @Test
    void aWorkerKilledByItsPidDiesEarlyAndSaysWhy() throws Exception {
        WorkerEvents events = new WorkerEvents(clock);
        WorkerChild w = start("count", 10, events.sink());
        w.await(WorkerState::ready, deadline());
        w.send(new Hold(HoldMoment.APPLIED));
        w.go();
        w.await(s -> s.holding() != null, deadline());
        assertThat(w.pid()).isPositive();
        assertThat(w.signal("STOP")).as("a signal by its pid").isTrue();
        assertThat(w.signal("CONT")).isTrue();
        w.kill();
        assertThat(w.awaitExit(deadline())).isTrue();
        assertThat(w.state().diedEarly()).isTrue();
        assertThat(w.state().exitCode()).isEqualTo(128 + 9);
        assertThat(w.describeDeath()).startsWith("exited with code 137; its stderr ends with:");
        assertThat(w.signal("KILL")).as("nothing is signalled once it is gone").isFalse();
    }

    @Test
    void aWorkerWhoseInputIsAtFaultSaysUsageAndExits2BeforeTheBarrier() throws Exception {
        WorkerEvents events = new WorkerEvents(clock);
        WorkerChild w = start("usage", 1, events.sink());
        assertThat(events.awaitReady(List.of(w), deadline())).isEqualTo(new WorkerEvents.ExitedFirst(w));
        assertThat(w.state().usage()).isEqualTo("no statement reads :amount");
        assertThat(w.state().exitCode()).isEqualTo(WorkerChannel.EXIT_USAGE);
        assertThat(w.describeDeath()).isEqualTo("failed: no statement reads :amount");
    }

    @Test
    void aWorkerThatFailsSaysErrorOnOneLineAndExits3() throws Exception {
        WorkerChild w = start("error", 1, e -> {
        });
        assertThat(w.awaitExit(deadline())).isTrue();
        assertThat(w.state().error()).isEqualTo("the store refused at connect");
        assertThat(w.state().exitCode()).isEqualTo(WorkerChannel.EXIT_ERROR);
        assertThat(w.stderrTail()).as("its stack trace").contains("IllegalStateException");
    }

    @Test
    void whatAWorkerPrintsOnSystemOutGoesToItsStderrNotIntoTheProtocol() throws Exception {
        WorkerChild w = start("noise", 3, e -> {
        });
        w.await(WorkerState::ready, deadline());
        w.go();
        assertThat(w.awaitExit(deadline())).isTrue();
        assertThat(w.state().exitCode()).isZero();
        assertThat(w.state().completed()).isEqualTo(3);
        assertThat(Files.readString(dir.resolve("noise.err"))).contains("a library's banner, on System.out");
    }

    @Test
    void aLineThatIsNoMessageStopsTheWorkerAndItsDeathQuotesTheLine() throws Exception {
        WorkerEvents events = new WorkerEvents(clock);
        WorkerChild w = start("babble", 1, events.sink());
        assertThat(events.awaitReady(List.of(w), deadline())).isEqualTo(new WorkerEvents.ExitedFirst(w));
        assertThat(w.state().diedEarly()).isTrue();
        assertThat(w.describeDeath()).isEqualTo("failed: 'Welcome to the host' is not a line of the worker protocol: "
                + "no message of a worker starts with Welcome");
    }

    /** The worker's side, spoken to in raw lines, as no WorkerChild ever would. */
    @Test
    void aWorkerToldALineThatIsNoMessageSaysErrorQuotingItAndExits3() throws Exception {
        Process p = rawWorker();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).isEqualTo("READY");
        p.getOutputStream().write("GO FAST\n".getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().flush();
        assertThat(out.readLine()).isEqualTo("ERROR 'GO FAST' is not a line of the worker protocol: GO takes nothing after it");
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(WorkerChannel.EXIT_ERROR);
    }

    @Test
    void aWorkerWhoseParentGoesAwayStopsWithExit4() throws Exception {
        Process p = rawWorker();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).isEqualTo("READY");
        p.getOutputStream().close();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(WorkerChannel.EXIT_ORPHANED);
    }

    private Process rawWorker() throws IOException {
        List<String> cmd = WorkerJvm.command(ProtocolTestWorker.class.getName(), 1, List.of("count", "1"));
        Process p = new ProcessBuilder(cmd).redirectError(dir.resolve("raw.err").toFile()).start();
        rawStarted.add(p);
        return p;
    }
}
