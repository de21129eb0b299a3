package dev.racelab.internal.process;

import dev.racelab.core.UsageException;
import dev.racelab.internal.process.WorkerMessage.Holding;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A worker for {@link WorkerChildTest}: after GO it counts {@code ops} operations, honouring
 * HOLD (at its next operation: it says HOLDING and waits for RELEASE) and STOP, as racelab's
 * workers do. Its first argument picks what else it does: {@code count}, {@code noise} (prints
 * to System.out first), {@code babble} (writes a line that is no message on its protocol
 * stdout), {@code usage} and {@code error} (fail before READY).
 */
public final class ProtocolTestWorker {
    private ProtocolTestWorker() {
    }

    public static void main(String[] args) {
        String mode = args[0];
        long ops = Long.parseLong(args[1]);
        WorkerChannel.main("test worker", channel -> {
            switch (mode) {
                case "usage" -> throw new UsageException("no statement reads :amount");
                case "error" -> throw new IllegalStateException("the store refused\nat connect");
                case "noise" -> System.out.println("a library's banner, on System.out");
                case "babble" -> {
                    FileOutputStream protocol = new FileOutputStream(FileDescriptor.out);
                    protocol.write("Welcome to the host\n".getBytes(StandardCharsets.UTF_8));
                    protocol.flush();
                }
                default -> {
                }
            }
            AtomicReference<HoldMoment> hold = new AtomicReference<>();
            AtomicReference<CountDownLatch> released = new AtomicReference<>(new CountDownLatch(0));
            AtomicBoolean stopped = new AtomicBoolean();
            channel.commands(new WorkerChannel.Commands() {
                @Override
                public void stop() {
                    stopped.set(true);
                }

                @Override
                public void hold(HoldMoment moment) {
                    released.set(new CountDownLatch(1));
                    hold.set(moment);
                }

                @Override
                public void release() {
                    hold.set(null);
                    released.get().countDown();
                }
            });
            channel.ready();
            AtomicLong completed = new AtomicLong();
            Thread progress = channel.reportProgress(completed::get, () -> {
            });
            for (long i = 0; i < ops && !stopped.get(); i++) {
                completed.set(i + 1);
                HoldMoment at = hold.getAndSet(null);
                if (at != null) {
                    channel.holding(new Holding(at, i, "cell:" + i));
                    released.get().await();
                }
            }
            channel.loadOver();
            progress.join();
            return completed.get();
        });
    }
}
