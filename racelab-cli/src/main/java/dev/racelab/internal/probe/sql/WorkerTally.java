package dev.racelab.internal.probe.sql;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * What one load worker counted, written to its tally file when its load is over: per session,
 * how its transactions ended; the final failures and the retried ones by SQLSTATE label
 * ("40001 serialization failure"); and the latency of every transaction, retries included, as
 * a compressed HdrHistogram in microseconds.
 */
public record WorkerTally(int instance, long elapsedNanos, Map<String, SessionCounts> sessions, Map<String, Long> abortedByState,
                          Map<String, Long> abortedByKind, Map<String, Long> retriedByState, long retries, long exhausted,
                          String firstError, String latencyMicros) {
    public WorkerTally {
        sessions = new TreeMap<>(sessions);
        abortedByState = new TreeMap<>(abortedByState);
        abortedByKind = new LinkedHashMap<>(abortedByKind);
        retriedByState = new TreeMap<>(retriedByState);
    }

    /** How one session's transactions ended. */
    public record SessionCounts(long committed, long rolledBack, long aborted, long unknown) {
        SessionCounts plus(SessionCounts o) {
            return new SessionCounts(committed + o.committed, rolledBack + o.rolledBack, aborted + o.aborted, unknown + o.unknown);
        }

        public long total() {
            return committed + rolledBack + aborted + unknown;
        }
    }

    static String encode(Histogram h) {
        ByteBuffer buffer = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int length = h.encodeIntoCompressedByteBuffer(buffer);
        byte[] bytes = new byte[length];
        buffer.rewind();
        buffer.get(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    Histogram latency() {
        try {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(latencyMicros)), 0);
        } catch (DataFormatException e) {
            throw new IllegalStateException("worker " + instance + " wrote an unreadable latency histogram", e);
        }
    }
}
