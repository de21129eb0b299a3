package dev.racelab.internal.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.racelab.internal.process.WorkerMessage.Bye;
import dev.racelab.internal.process.WorkerMessage.ClockReply;
import dev.racelab.internal.process.WorkerMessage.ClockRequest;
import dev.racelab.internal.process.WorkerMessage.Done;
import dev.racelab.internal.process.WorkerMessage.Error;
import dev.racelab.internal.process.WorkerMessage.FromWorker;
import dev.racelab.internal.process.WorkerMessage.Go;
import dev.racelab.internal.process.WorkerMessage.Hold;
import dev.racelab.internal.process.WorkerMessage.Holding;
import dev.racelab.internal.process.WorkerMessage.Linger;
import dev.racelab.internal.process.WorkerMessage.Progress;
import dev.racelab.internal.process.WorkerMessage.Ready;
import dev.racelab.internal.process.WorkerMessage.Release;
import dev.racelab.internal.process.WorkerMessage.RemotePid;
import dev.racelab.internal.process.WorkerMessage.Stop;
import dev.racelab.internal.process.WorkerMessage.ToWorker;
import dev.racelab.internal.process.WorkerMessage.Usage;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WorkerProtocolTest {
    /** One of every message the parent sends, each moment of HOLD included. */
    static final List<ToWorker> TO_WORKER = List.of(new Go(), new Stop(), new Hold(HoldMoment.APPLIED),
            new Hold(HoldMoment.BETWEEN_READ_AND_WRITE), new Release(), new ClockRequest(), new Linger(), new Bye());

    /** One of every message a worker says, with payloads at their edges: zero, the largest, spaces in a key or a message. */
    static final List<FromWorker> FROM_WORKER = List.of(new Ready(), new Progress(0), new Progress(Long.MAX_VALUE), new Done(0),
            new Done(1_234_567), new Error("the store refused: connection reset"), new Error(""), new Usage("no statement reads :amount"),
            new Holding(HoldMoment.APPLIED, 42, "run-1a2b/stock:p1"), new Holding(HoldMoment.BETWEEN_READ_AND_WRITE, -1, "-"),
            new Holding(HoldMoment.APPLIED, 7, "a key with spaces"), new ClockReply(1_765_000_000_123_456L), new ClockReply(-5),
            new RemotePid(4242));

    @Test
    void everyMessageOfTheParentRoundTrips() {
        for (ToWorker m : TO_WORKER) assertThat(WorkerProtocol.parseToWorker(WorkerProtocol.format(m))).as(m.toString()).isEqualTo(m);
    }

    @Test
    void everyMessageOfAWorkerRoundTrips() {
        for (FromWorker m : FROM_WORKER) assertThat(WorkerProtocol.parseFromWorker(WorkerProtocol.format(m))).as(m.toString()).isEqualTo(m);
    }

    @Test
    void theListsAboveHoldEveryKindOfMessage() {
        Set<Class<?>> listed = Stream.concat(TO_WORKER.stream(), FROM_WORKER.stream()).map(Object::getClass).collect(Collectors.toSet());
        assertThat(listed).containsExactlyInAnyOrder(Stream.of(ToWorker.class.getPermittedSubclasses(),
                FromWorker.class.getPermittedSubclasses()).flatMap(Stream::of).toArray(Class<?>[]::new));
    }

    @Test
    void theLinesAreTheOnesRemoteWorkersAndTheirShellsSpeak() {
        assertThat(WorkerProtocol.format(new Hold(HoldMoment.BETWEEN_READ_AND_WRITE))).isEqualTo("HOLD BETWEEN_READ_AND_WRITE");
        assertThat(WorkerProtocol.format(new Holding(HoldMoment.APPLIED, 12, "k:1"))).isEqualTo("HOLDING APPLIED 12 k:1");
        assertThat(WorkerProtocol.format(new Done(3))).isEqualTo("DONE 3");
        // the shell's echo, run by sh on the worker's host, prints what the parent parses as the JVM's pid
        assertThat(WorkerProtocol.remotePidEcho().replace("echo ", "").replace("$$", "977")).isEqualTo(
                WorkerProtocol.format(new RemotePid(977)));
    }

    @Test
    void aMessageSpreadOverLinesStaysOnOne() {
        String line = WorkerProtocol.format(new Error("first\nsecond\r\nthird"));
        assertThat(line).doesNotContain("\n").doesNotContain("\r");
        assertThat(WorkerProtocol.parseFromWorker(line)).isEqualTo(new Error("first second  third"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "HELLO", "go", "GO now", "HOLD", "HOLD SOMEWHERE", "RELEASE 1", "CLOCK 12", "READY"})
    void aLineThatIsNoMessageOfTheParentIsAnErrorQuotingIt(String line) {
        assertThatThrownBy(() -> WorkerProtocol.parseToWorker(line)).isInstanceOf(WorkerProtocolException.class)
                .hasMessageStartingWith("'" + line + "' is not a line of the worker protocol: ")
                .extracting(e -> ((WorkerProtocolException) e).line()).isEqualTo(line);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Picked up JAVA_TOOL_OPTIONS: -Xmx1g", "READY now", "PROGRESS", "PROGRESS ", "PROGRESS x",
            "PROGRESS -1", "DONE", "DONE 1.5", "ERROR", "USAGE", "HOLDING APPLIED 12", "HOLDING LATER 12 k", "HOLDING APPLIED x k",
            "CLOCK", "CLOCK soon", "RACELAB-PID", "RACELAB-PID 0", "RACELAB-PID abc", "GO"})
    void aLineThatIsNoMessageOfAWorkerIsAnErrorQuotingIt(String line) {
        assertThatThrownBy(() -> WorkerProtocol.parseFromWorker(line)).isInstanceOf(WorkerProtocolException.class)
                .hasMessageStartingWith("'" + line + "' is not a line of the worker protocol: ")
                .extracting(e -> ((WorkerProtocolException) e).line()).isEqualTo(line);
    }

    @Test
    void theJvmsOwnLogLinesAreToldApartFromMessagesAndFromOtherNoise() {
        assertThat(WorkerProtocol.isJvmLog("[0.355s][info][jfr,startup] Recording 1 scheduled to start in 5 s.")).isTrue();
        assertThat(WorkerProtocol.isJvmLog("[0.355s][info][jfr,startup] ")).isTrue();
        assertThat(WorkerProtocol.isJvmLog("READY")).isFalse();
        assertThat(WorkerProtocol.isJvmLog("Welcome to the host")).isFalse();
        assertThat(WorkerProtocol.isJvmLog("Picked up JAVA_TOOL_OPTIONS: -Xmx1g")).isFalse();
    }

    @Test
    void theErrorSaysWhatIsWrongWithTheLine() {
        assertThatThrownBy(() -> WorkerProtocol.parseFromWorker("PROGRESS many")).hasMessage(
                "'PROGRESS many' is not a line of the worker protocol: 'many' is not a whole number");
        assertThatThrownBy(() -> WorkerProtocol.parseToWorker("HOLD LATER")).hasMessage(
                "'HOLD LATER' is not a line of the worker protocol: 'LATER' is no moment a worker holds at");
        assertThatThrownBy(() -> WorkerProtocol.parseFromWorker("Welcome to the host")).hasMessage(
                "'Welcome to the host' is not a line of the worker protocol: no message of a worker starts with Welcome");
    }
}
