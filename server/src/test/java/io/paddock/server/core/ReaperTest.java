package io.paddock.server.core;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.server.testing.TestServer;
import io.paddock.server.testing.TestServers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Containers and TTL nodes are removed by the reaper through the normal write path. */
@Timeout(60)
class ReaperTest {
    private static ZooKeeper connect(TestServer server, Watcher watcher) throws Exception {
        CountDownLatch up = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(server.connectString(), 10_000, e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                up.countDown();
            }
            watcher.process(e);
        });
        assertTrue(up.await(10, TimeUnit.SECONDS));
        return zk;
    }

    @Test
    void usedEmptyContainerIsReapedAndWatchersHearIt() throws Exception {
        try (TestServer server = TestServers.paddock(Map.of("znode.container.checkIntervalMs", "100"))) {
            List<String> events = new CopyOnWriteArrayList<>();
            ZooKeeper zk = connect(server, e -> {
                if (e.getType() != Watcher.Event.EventType.None) {
                    events.add(e.getType() + " " + e.getPath());
                }
            });
            try {
                zk.create("/c", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.CONTAINER);
                zk.create("/never", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.CONTAINER);
                zk.create("/c/child", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                Stat stat = zk.exists("/c", true);
                assertEquals(0, stat.getEphemeralOwner(), "containers report owner 0");
                zk.delete("/c/child", -1);
                await().atMost(Duration.ofSeconds(10)).until(() -> zk.exists("/c", false) == null);
                await().atMost(Duration.ofSeconds(5)).until(() -> events.contains("NodeDeleted /c"));
                assertNotNull(zk.exists("/never", false), "a container that never had a child stays");
            } finally {
                zk.close();
            }
        }
    }

    @Test
    void expiredTtlNodeIsReapedAndSetDataRestartsTheClock() throws Exception {
        try (TestServer server = TestServers.paddock(Map.of("znode.container.checkIntervalMs", "100",
                "extendedTypesEnabled", "true"))) {
            ZooKeeper zk = connect(server, e -> { });
            try {
                Stat stat = new Stat();
                zk.create("/ttl", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_WITH_TTL, stat, 300);
                assertEquals(0, stat.getEphemeralOwner(), "TTL nodes report owner 0");
                zk.create("/long", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_WITH_TTL, stat, 600_000);
                await().atMost(Duration.ofSeconds(10)).until(() -> zk.exists("/ttl", false) == null);
                assertNotNull(zk.exists("/long", false));
            } finally {
                zk.close();
            }
        }
    }
}
