package io.paddock.server.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.paddock.server.testing.TestServer;
import io.paddock.server.testing.TestServers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * getChildren's order is unspecified, but clients and their tests see it: Paddock lists children
 * in the same order as Apache, also after a node's children were all deleted and new ones came.
 */
@Timeout(60)
class ChildOrderConformanceTest {
    private static List<List<String>> scenario(TestServer server) throws Exception {
        CountDownLatch up = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(server.connectString(), 10_000, e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                up.countDown();
            }
        });
        try {
            up.await(10, TimeUnit.SECONDS);
            List<List<String>> seen = new ArrayList<>();
            zk.create("/ord", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            for (int i = 0; i < 11; i++) {
                zk.create("/ord/c" + i, null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                seen.add(zk.getChildren("/ord", false));
            }
            for (int i = 0; i < 11; i++) {
                zk.delete("/ord/c" + i, -1);
            }
            for (String name : List.of("x", "b", "node", "seq-")) {
                zk.create("/ord/" + name, null, ZooDefs.Ids.OPEN_ACL_UNSAFE,
                        name.endsWith("-") ? CreateMode.PERSISTENT_SEQUENTIAL : CreateMode.PERSISTENT);
                seen.add(zk.getChildren("/ord", false));
            }
            seen.add(zk.getChildren("/", false));
            return seen;
        } finally {
            zk.close();
        }
    }

    @Test
    void unsortedChildListsMatchApache() throws Exception {
        List<List<String>> apache;
        try (TestServer server = TestServers.apache(Map.of())) {
            apache = scenario(server);
        }
        try (TestServer server = TestServers.paddock(Map.of())) {
            assertEquals(apache, scenario(server));
        }
    }
}
