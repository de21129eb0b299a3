package dev.racelab.internal.os;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A pause continues every process it stopped, however the stop itself ended. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PausedTreeTest {

    /**
     * The thread is interrupted at the moment it sends SIGSTOP (the nemesis being closed as the
     * load ends): kill runs and stops the process, and the wait for it is interrupted. resume()
     * must still continue that process.
     */
    @Test
    void aStopInterruptedAtItsSignalIsStillResumed() throws Exception {
        Process tree = new ProcessBuilder("sh", "-c", "sleep 600 & sleep 600 & wait").start();
        try {
            assertThat(Signals.awaitTrue(() -> tree.descendants().count() == 2, 10_000)).as("both sleeps started").isTrue();
            List<Long> pids = Signals.withDescendants(tree.pid());
            PausedTree paused = new PausedTree();
            Thread.currentThread().interrupt();
            try {
                paused.stop(tree.pid());
            } catch (RuntimeException interrupted) {
                // the stop may say it was interrupted; what matters is what resume() does next
            } finally {
                Thread.interrupted();
            }
            paused.resume();
            assertThat(Signals.awaitTrue(() -> pids.stream().noneMatch(Signals::isStopped), 5_000))
                    .as("every process of the tree runs again: %s", pids).isTrue();
        } finally {
            tree.descendants().forEach(ProcessHandle::destroyForcibly);
            tree.destroyForcibly();
            Signals.send("CONT", List.of(tree.pid())); // a stopped process dies of SIGKILL too, but only once continued
        }
    }
}
