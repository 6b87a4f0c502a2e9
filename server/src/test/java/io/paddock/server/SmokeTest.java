package io.paddock.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.paddock.server.testing.TestServer;
import io.paddock.server.testing.TestServers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The basic round trip with the real Apache client: connect, write, read, watch, close. */
@Timeout(60)
class SmokeTest {
    static ZooKeeper connect(TestServer server, Watcher watcher) throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(server.connectString(), 10_000, e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
            if (watcher != null) {
                watcher.process(e);
            }
        });
        if (!connected.await(10, TimeUnit.SECONDS)) {
            zk.close();
            throw new IllegalStateException("no connection to " + server.connectString());
        }
        return zk;
    }

    @Test
    void createReadWatchDelete() throws Exception {
        try (TestServer server = TestServers.paddock(Map.of())) {
            List<WatchedEvent> events = new CopyOnWriteArrayList<>();
            ZooKeeper zk = connect(server, e -> {
                if (e.getType() != Watcher.Event.EventType.None) {
                    events.add(e);
                }
            });
            try {
                assertEquals("/a", zk.create("/a", "hello".getBytes(), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
                Stat stat = new Stat();
                assertArrayEquals("hello".getBytes(), zk.getData("/a", true, stat));
                assertEquals(0, stat.getVersion());
                zk.setData("/a", "bye".getBytes(), 0);
                await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 1);
                assertEquals(Watcher.Event.EventType.NodeDataChanged, events.get(0).getType());
                assertThrows(KeeperException.BadVersionException.class, () -> zk.setData("/a", "x".getBytes(), 0));
                String seq = zk.create("/a/s-", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL_SEQUENTIAL);
                assertEquals("/a/s-0000000000", seq);
                assertEquals(List.of("s-0000000000"), zk.getChildren("/a", false));
                assertThrows(KeeperException.NotEmptyException.class, () -> zk.delete("/a", -1));
            } finally {
                zk.close();
            }
            ZooKeeper zk2 = connect(server, null);
            try {
                assertEquals(List.of(), zk2.getChildren("/a", false), "ephemeral gone with its session");
                zk2.delete("/a", -1);
                assertEquals(null, zk2.exists("/a", false));
            } finally {
                zk2.close();
            }
        }
    }
}
