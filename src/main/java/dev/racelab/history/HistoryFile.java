package dev.racelab.history;

import dev.racelab.core.Change;
import dev.racelab.core.FailReason;
import dev.racelab.core.Status;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A worker's report in a compact binary file: a few hundred thousand operations read back in well under a second. */
public final class HistoryFile {
    private static final int MAGIC = 0x52_4C_48_32; // "RLH2"

    private HistoryFile() {
    }

    public static void write(Path file, WorkerReport report) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
            out.writeInt(MAGIC);
            out.writeInt(report.instance());
            out.writeLong(report.elapsedNanos());
            out.writeLong(report.errorCount());
            out.writeUTF(truncate(report.firstError()));
            out.writeLong(report.peakHeapBytes());
            out.writeLong(report.liveHeapBytes());
            out.writeInt(report.history().size());
            for (OpRecord op : report.history()) {
                out.writeLong(op.id());
                out.writeByte(op.changes().size());
                for (Change c : op.changes()) {
                    out.writeUTF(c.key());
                    out.writeLong(c.delta());
                }
                out.writeUTF(op.guard() == null ? "" : op.guard());
                out.writeBoolean(op.releasesGuard());
                out.writeLong(op.invokeNanos());
                out.writeLong(op.completeNanos());
                out.writeByte(op.status().ordinal());
                out.writeByte(op.reason() == null ? -1 : op.reason().ordinal());
                out.writeInt(op.retries());
            }
        }
    }

    public static WorkerReport read(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            if (in.readInt() != MAGIC) throw new IOException(file + " is not a racelab history file");
            int instance = in.readInt();
            long elapsed = in.readLong();
            long errors = in.readLong();
            String firstError = in.readUTF();
            long peakHeap = in.readLong();
            long liveHeap = in.readLong();
            int n = in.readInt();
            List<OpRecord> history = new ArrayList<>(n);
            Status[] statuses = Status.values();
            FailReason[] reasons = FailReason.values();
            for (int i = 0; i < n; i++) {
                long id = in.readLong();
                int changeCount = in.readByte();
                List<Change> changes = new ArrayList<>(changeCount);
                for (int c = 0; c < changeCount; c++) changes.add(new Change(in.readUTF(), in.readLong()));
                String guard = in.readUTF();
                boolean releasesGuard = in.readBoolean();
                long invoke = in.readLong();
                long complete = in.readLong();
                Status status = statuses[in.readByte()];
                int reason = in.readByte();
                history.add(new OpRecord(id, changes, guard.isEmpty() ? null : guard, releasesGuard, invoke, complete, status, reason < 0 ? null : reasons[reason], in.readInt()));
            }
            return new WorkerReport(instance, elapsed, errors, firstError, peakHeap, liveHeap, history);
        }
    }

    private static String truncate(String s) {
        return s.length() > 2000 ? s.substring(0, 2000) + "..." : s;
    }
}
