package io.paddock.server.storage;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.paddock.server.testing.TestServer;
import io.paddock.server.testing.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real full disk: the data directory is a small tmpfs. When the log can no longer be written
 * the server refuses writes with an error (no hang), keeps serving reads, loses nothing it
 * acknowledged, and once there is room again it restarts cleanly with every acknowledged write.
 */
@Timeout(120)
class DiskFullTest {
    private final Path mountPoint = TestServers.tempDir("paddock-full");
    private boolean mounted;

    private static int run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    @AfterEach
    void unmount() throws Exception {
        if (mounted) {
            run("umount", mountPoint.toString());
        }
        TestServers.deleteTree(mountPoint);
    }

    private static ZooKeeper connect(TestServer server) throws Exception {
        CountDownLatch up = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(server.connectString(), 10_000, e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                up.countDown();
            }
        });
        assertTrue(up.await(10, TimeUnit.SECONDS));
        return zk;
    }

    @Test
    void fullDiskStopsWritesKeepsReadsAndLosesNothing() throws Exception {
        mounted = run("mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", mountPoint.toString()) == 0;
        assumeTrue(mounted, "mounting a small tmpfs needs root (CAP_SYS_ADMIN); this test needs a real full disk");
        Map<String, String> cfg = Map.of("dataDir", mountPoint.resolve("data").toString(), "preAllocSize", "64",
                "snapCount", "1000000");
        byte[] payload = new byte[8 * 1024];
        List<String> acked = new ArrayList<>();
        try (TestServer server = TestServers.paddock(cfg)) {
            ZooKeeper zk = connect(server);
            try {
                KeeperException failure = null;
                for (int i = 0; i < 2000 && failure == null; i++) {
                    try {
                        acked.add(zk.create("/n" + i, payload, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
                    } catch (KeeperException e) {
                        failure = e;
                    }
                }
                assertTrue(failure != null, "the 3 MiB disk never filled up");
                assertTrue(acked.size() > 50, "some writes were acknowledged before the disk filled: " + acked.size());
                // The write in flight when the log failed has an unknown fate: its connection was closed.
                assertEquals(KeeperException.Code.CONNECTIONLOSS, failure.code());
                await().atMost(Duration.ofSeconds(10)).until(() -> zk.getState() == ZooKeeper.States.CONNECTED);
                // From now on writes are refused at once, with an error rather than a hang.
                KeeperException refused = assertThrows(KeeperException.class,
                        () -> zk.create("/after", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
                assertEquals(KeeperException.Code.NOTREADONLY, refused.code());
                assertThrows(KeeperException.NotReadOnlyException.class, () -> zk.setData(acked.get(0), null, -1));
                // The four-letter word says so as the admin server's is_read_only does.
                assertEquals("ro", io.paddock.server.testing.Clients.fourLetterWord(server.port(), "isro"));
                // Reads still work, and show every acknowledged write.
                assertArrayEquals(payload, zk.getData(acked.get(acked.size() - 1), false, null));
                assertTrue(zk.getChildren("/", false).containsAll(acked.stream().map(p -> p.substring(1)).toList()));
            } finally {
                zk.close();
            }
        }
        // Space returns: the server restarts cleanly with everything it acknowledged.
        assertEquals(0, run("mount", "-o", "remount,size=64m", mountPoint.toString()));
        try (TestServer server = TestServers.paddock(cfg)) {
            ZooKeeper zk = connect(server);
            try {
                List<String> children = zk.getChildren("/", false);
                for (String p : acked) {
                    assertTrue(children.contains(p.substring(1)), "acknowledged write lost: " + p);
                }
                zk.create("/after", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            } finally {
                zk.close();
            }
        }
        assertTrue(Files.isDirectory(mountPoint.resolve("data/version-2")));
    }
}
