package io.paddock.server.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes snapshots beyond the newest {@code retain} ones, and log segments holding only txns
 * that the oldest kept snapshot already contains. Never deletes what recovery from any kept
 * snapshot would need.
 */
public final class Purge {
    private static final Logger LOG = LoggerFactory.getLogger(Purge.class);

    /** What was deleted. */
    public record Result(List<Path> deleted) {
    }

    private Purge() {
    }

    public static Result run(Path snapDir, Path logDir, int retain) throws IOException {
        if (retain < 3) {
            throw new IllegalArgumentException("at least 3 snapshots must be kept, not " + retain);
        }
        List<Path> snapshots = Recovery.snapshots(snapDir);
        List<Path> deleted = new ArrayList<>();
        if (snapshots.size() <= retain) {
            return new Result(deleted);
        }
        long oldestKept = SnapshotFormat.zxidOf(snapshots.get(retain - 1));
        for (Path old : snapshots.subList(retain, snapshots.size())) {
            Files.deleteIfExists(old);
            deleted.add(old);
        }
        List<Path> segments = Recovery.segments(logDir);
        for (int i = 0; i + 1 < segments.size(); i++) {
            // Segment i ends before segment i+1 starts; if that start is at most oldestKept + 1, every
            // txn in segment i is already in the oldest kept snapshot.
            if (LogFormat.firstZxid(segments.get(i + 1)) <= oldestKept + 1) {
                Files.deleteIfExists(segments.get(i));
                deleted.add(segments.get(i));
            }
        }
        if (!deleted.isEmpty()) {
            DurableFiles.syncDirectory(snapDir);
            DurableFiles.syncDirectory(logDir);
            LOG.info("purged {} files older than snapshot 0x{}", deleted.size(), Long.toHexString(oldestKept));
        }
        return new Result(deleted);
    }
}
