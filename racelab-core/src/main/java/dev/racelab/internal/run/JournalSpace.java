package dev.racelab.internal.run;

import dev.racelab.core.UsageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Whether a run's journals fit the disk they are written to. A counted run's need is known
 * before it starts (its operations times a journal's bytes per operation); a timed run's is
 * projected as it runs, from the fastest rate seen so far, with a margin: a run that would
 * not fit is stopped while the disk still has room, its history so far intact.
 */
final class JournalSpace {
    /** Kept free for everything else on the disk. */
    static final long RESERVE = 256L << 20;
    /** A rate can still grow after the first seconds (JIT, caches): the projection allows this much more. */
    static final double MARGIN = 1.25;

    private final Path dir;
    private final long bytesPerOp;
    private double fastest;

    JournalSpace(Path dir, long bytesPerOp) {
        this.dir = dir;
        this.bytesPerOp = bytesPerOp;
    }

    long bytesPerOp() {
        return bytesPerOp;
    }

    long free() {
        try {
            return Files.getFileStore(dir).getUsableSpace();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the free space of " + dir, e);
        }
    }

    /** A counted run whose journals would not fit is refused, in one line, before it starts. */
    void refuseIfTooBig(RunSpec spec) {
        if (spec.timedLoad()) return;
        long need = spec.plannedOps() * bytesPerOp; // plannedOps is at most 256 x 10,000 x 2^32: no overflow below 2^63 / 64
        long free = free();
        if (need > free - RESERVE) {
            throw new UsageException(String.format(Locale.ROOT, "the run's journals need about %s (%,d operations x %d bytes) and %s has"
                    + " %s free; use fewer --iterations (or --threads, --instances), or point java.io.tmpdir at a larger disk",
                    human(need), spec.plannedOps(), bytesPerOp, dir, human(free)));
        }
    }

    /**
     * For a timed run, at {@code elapsedSeconds} of it with {@code rateNow} ops/s over the last
     * interval: why it must stop now (the rest would not fit), or null.
     */
    String tooBigFor(RunSpec spec, double rateNow, double elapsedSeconds) {
        if (!spec.timedLoad()) return null;
        fastest = Math.max(fastest, rateNow);
        double left = Math.max(0, spec.duration().toSeconds() - elapsedSeconds);
        long need = (long) (left * fastest * MARGIN * bytesPerOp);
        long free = free();
        if (need <= free - RESERVE) return null;
        return String.format(Locale.ROOT, "the journals would not fit the disk: at up to %,.0f ops/s the %.0f s left need about %s and %s"
                + " has %s free; use a shorter --seconds", fastest, left, human(need), dir, human(free));
    }

    /** What the journals take on disk now (a journal grows in 16 MB windows, so up to that much more than its records). */
    static long journalBytes(List<WorkerProcess> workers) {
        long total = 0;
        for (WorkerProcess w : workers) {
            try {
                if (Files.exists(w.historyFile)) total += Files.size(w.historyFile);
            } catch (IOException e) {
                // a journal being replaced or deleted: counted on the next line
            }
        }
        return total;
    }

    static String human(long bytes) {
        if (bytes < 1L << 20) return String.format(Locale.ROOT, "%d KB", bytes >> 10);
        if (bytes < 1L << 30) return String.format(Locale.ROOT, "%d MB", bytes >> 20);
        return String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30));
    }
}
