package io.paddock.server.storage;

import io.paddock.protocol.JuteException;
import io.paddock.protocol.JuteInput;
import io.paddock.server.txn.Notification;
import io.paddock.server.txn.StateMachine;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the state at start-up: the newest snapshot that validates, then every later txn of the
 * log, applied through the same function as live commits. A torn record at the very end of the
 * last segment (a write the crash interrupted, never acknowledged) is cut off with a warning; any
 * other damage refuses to start, naming the file and the offset.
 */
public final class Recovery {
    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

    /** The recovered state and how it was obtained. */
    public record Result(StateMachine state, long snapshotZxid, long replayed, List<String> warnings) {
    }

    private Recovery() {
    }

    public static Result recover(Path snapDir, Path logDir, boolean extendedTypes) throws IOException {
        List<String> warnings = new ArrayList<>();
        removeTemporaryFiles(snapDir, warnings);
        StateMachine sm = null;
        long snapZxid = 0;
        List<String> snapshotProblems = new ArrayList<>();
        for (Path snap : snapshots(snapDir)) {
            try {
                sm = SnapshotReader.load(snap, extendedTypes);
                snapZxid = sm.lastZxid();
                break;
            } catch (StorageException | IllegalStateException e) {
                String why = e.getMessage() + "; trying an older snapshot";
                warnings.add(why);
                snapshotProblems.add(e.getMessage());
                LOG.warn(why);
            }
        }
        List<Path> segments = segments(logDir);
        if (sm == null) {
            if (!snapshotProblems.isEmpty() && (segments.isEmpty() || LogFormat.firstZxid(segments.get(0)) != 1)) {
                throw new StorageException("no usable snapshot and the log does not reach back to the beginning: "
                        + String.join("; ", snapshotProblems));
            }
            sm = new StateMachine(extendedTypes);
        }
        long replayed = replay(sm, segments, warnings);
        LOG.info("recovered to zxid 0x{}: snapshot at 0x{}, {} txns replayed from the log",
                Long.toHexString(sm.lastZxid()), Long.toHexString(snapZxid), replayed);
        return new Result(sm, snapZxid, replayed, warnings);
    }

    /** A decoded txn and where it lies in its segment. */
    private record Decoded(long offset, TxnCodec.Entry entry) {
    }

    private static long replay(StateMachine sm, List<Path> segments, List<String> warnings) throws IOException {
        long replayed = 0;
        long start = sm.lastZxid();
        List<Notification> discard = new ArrayList<>();
        for (int i = 0; i < segments.size(); i++) {
            Path segment = segments.get(i);
            boolean last = i == segments.size() - 1;
            // A segment whose successor starts at or before the next needed zxid holds nothing new.
            if (!last && LogFormat.firstZxid(segments.get(i + 1)) <= start + 1) {
                continue;
            }
            long[] count = {0};
            LogReader.Scan[] scanned = new LogReader.Scan[1];
            // The segment is read, checked and decoded on a thread of its own while this one applies.
            HandOff.<Decoded>run("paddock-log-reader", out -> scanned[0] = LogReader.scan(segment, r -> {
                if (LogFormat.zxidOf(r.payload()) <= start) {
                    // Already in the snapshot: the checksum was verified, no need to decode it.
                    return;
                }
                try {
                    out.accept(new Decoded(r.offset(), TxnCodec.decode(new JuteInput(r.payload()))));
                } catch (JuteException e) {
                    throw new StorageException("log segment " + segment + " holds an undecodable txn at offset "
                            + r.offset() + ": " + e.getMessage());
                }
            }), d -> {
                long zxid = d.entry().header().zxid();
                if (zxid <= sm.lastZxid()) {
                    return;
                }
                try {
                    sm.apply(d.entry().header(), d.entry().txn(), discard);
                } catch (IllegalStateException e) {
                    throw new StorageException("log segment " + segment + " offset " + d.offset()
                            + ": txn 0x" + Long.toHexString(zxid) + " cannot be applied after 0x"
                            + Long.toHexString(sm.lastZxid()) + ": " + e.getMessage());
                }
                discard.clear();
                count[0]++;
            });
            LogReader.Scan scan = scanned[0];
            replayed += count[0];
            if (!scan.clean()) {
                if (last && !scan.intactAfterDamage()) {
                    String w = "log segment " + segment + " ends with a torn record at offset " + scan.damageOffset()
                            + " (" + scan.damage() + "): a write interrupted by a crash, never acknowledged;"
                            + " truncating it";
                    LOG.warn(w);
                    warnings.add(w);
                    if (scan.damageOffset() < LogFormat.HEADER_BYTES) {
                        Files.delete(segment);
                    } else {
                        truncate(segment, scan.damageOffset());
                    }
                } else {
                    throw new StorageException("log segment " + segment + " is damaged at offset " + scan.damageOffset()
                            + " (" + scan.damage() + ")" + (last ? " and intact records follow" : " and later segments follow")
                            + "; refusing to start rather than lose acknowledged txns. Restore the data directory"
                            + " from a backup or another server.");
                }
            }
        }
        return replayed;
    }

    private static void truncate(Path segment, long offset) throws IOException {
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            ch.truncate(offset);
            ch.force(true);
        }
    }

    private static void removeTemporaryFiles(Path dir, List<String> warnings) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList()) {
                String w = "removing " + p + ": an unfinished snapshot from before a crash";
                LOG.warn(w);
                warnings.add(w);
                Files.delete(p);
            }
        }
    }

    /** Snapshot files, newest first. */
    public static List<Path> snapshots(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> SnapshotFormat.zxidOf(p) >= 0)
                    .sorted((a, b) -> Long.compareUnsigned(SnapshotFormat.zxidOf(b), SnapshotFormat.zxidOf(a)))
                    .toList();
        }
    }

    /** Log segments, oldest first. */
    public static List<Path> segments(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> LogFormat.firstZxid(p) >= 0)
                    .sorted((a, b) -> Long.compareUnsigned(LogFormat.firstZxid(a), LogFormat.firstZxid(b)))
                    .toList();
        }
    }
}
