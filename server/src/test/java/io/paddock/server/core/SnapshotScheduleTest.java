package io.paddock.server.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.server.testing.Clients;
import io.paddock.server.testing.TestServer;
import io.paddock.server.testing.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When snapshots are taken while a tree grows: Apache's rule (every snapCount/2 to snapCount
 * txns) with {@code paddock.snapTreePercent=0}, and by default also not before the txns since the
 * last snapshot reach half the nodes it held, so a bulk load is not rewritten whole again and again.
 */
class SnapshotScheduleTest {
    private static final int CREATES = 2000;

    @TempDir
    Path dir;

    @Test
    void aGrowingTreeIsSnapshottedGeometricallyByDefault() throws Exception {
        List<Long> counters = snapshotsAfterCreates(dir.resolve("default"), Map.of());
        assertTrue(counters.size() >= 3 && counters.size() <= 12, "snapshots at " + counters);
        for (int i = 1; i < counters.size(); i++) {
            long gap = counters.get(i) - counters.get(i - 1);
            // Each txn here is one create; the tree held about counter + 3 nodes at the cut.
            assertTrue(gap >= 50 && gap * 100 >= (counters.get(i - 1) + 3) * 50 - 100,
                    "snapshot " + i + " came " + gap + " txns after the one at " + counters.get(i - 1) + ": " + counters);
        }
    }

    @Test
    void zeroPercentKeepsApachesCountAlone() throws Exception {
        List<Long> counters = snapshotsAfterCreates(dir.resolve("apache"), Map.of("paddock.snapTreePercent", "0"));
        assertTrue(counters.size() >= CREATES / 100 - 1, "snapshots at " + counters);
        for (int i = 1; i < counters.size(); i++) {
            long gap = counters.get(i) - counters.get(i - 1);
            assertTrue(gap >= 50 && gap <= 101, "gap " + gap + " in " + counters);
        }
    }

    /** The zxid counters of the snapshots a fresh server wrote while CREATES nodes were created. */
    private static List<Long> snapshotsAfterCreates(Path dataDir, Map<String, String> extra) throws Exception {
        Map<String, String> cfg = new java.util.HashMap<>(extra);
        cfg.put("dataDir", dataDir.toString());
        cfg.put("snapCount", "100");
        try (TestServer server = TestServers.paddock(cfg)) {
            ZooKeeper zk = Clients.connect(server.port());
            try {
                for (int i = 0; i < CREATES; i++) {
                    zk.create("/n" + i, new byte[10], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                }
            } finally {
                zk.close();
            }
        }
        try (Stream<Path> files = Files.list(dataDir.resolve("version-2"))) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("snapshot.") && !n.endsWith(".tmp"))
                    .map(n -> Long.parseLong(n.substring("snapshot.".length()), 16) & 0xffffffffL)
                    .sorted().toList();
        }
    }
}
