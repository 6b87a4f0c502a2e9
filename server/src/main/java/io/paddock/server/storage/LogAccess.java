package io.paddock.server.storage;

import io.paddock.protocol.JuteInput;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.function.Consumer;

/**
 * What synchronization between servers needs of the log: every txn from a zxid on (to send a
 * follower a DIFF), and cutting the log back to a zxid (a follower told to TRUNC). Both run with
 * the log writer stopped.
 */
public final class LogAccess {
    private LogAccess() {
    }

    /** Hands every logged txn with zxid >= {@code fromZxid} to the consumer, in order. */
    public static void readFrom(Path logDir, long fromZxid, Consumer<TxnCodec.Entry> out) throws IOException {
        List<Path> segments = Recovery.segments(logDir);
        for (int i = 0; i < segments.size(); i++) {
            if (i + 1 < segments.size() && LogFormat.firstZxid(segments.get(i + 1)) <= fromZxid) {
                continue;
            }
            Path segment = segments.get(i);
            LogReader.Scan scan = LogReader.scan(segment, r -> {
                TxnCodec.Entry e = TxnCodec.decode(new JuteInput(r.payload()));
                if (e.header().zxid() >= fromZxid) {
                    out.accept(e);
                }
            });
            if (!scan.clean() && (i + 1 < segments.size() || scan.intactAfterDamage())) {
                throw new StorageException("log segment " + segment + " is damaged at offset " + scan.damageOffset()
                        + ": " + scan.damage());
            }
        }
    }

    /**
     * Removes every logged txn with zxid > {@code zxid}: later segments are deleted, the segment
     * holding the boundary is cut right after it. Returns how many txns were removed.
     */
    public static long truncateAfter(Path logDir, long zxid) throws IOException {
        long removed = 0;
        for (Path segment : Recovery.segments(logDir)) {
            if (LogFormat.firstZxid(segment) > zxid) {
                long[] n = {0};
                LogReader.scan(segment, r -> n[0]++);
                removed += n[0];
                Files.delete(segment);
                continue;
            }
            long[] cut = {-1};
            long[] after = {0};
            LogReader.scan(segment, r -> {
                long z = LogFormat.zxidOf(r.payload());
                if (z > zxid) {
                    if (cut[0] < 0) {
                        cut[0] = r.offset();
                    }
                    after[0]++;
                }
            });
            if (cut[0] >= 0) {
                try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
                    ch.truncate(cut[0]);
                    ch.force(true);
                }
                removed += after[0];
            }
        }
        DurableFiles.syncDirectory(logDir);
        return removed;
    }
}
