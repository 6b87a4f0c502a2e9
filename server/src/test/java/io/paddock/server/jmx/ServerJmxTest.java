package io.paddock.server.jmx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.server.Version;
import io.paddock.server.testing.Clients;
import io.paddock.server.testing.TestServer;
import io.paddock.server.testing.TestServers;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A standalone server in this JVM: its beans in the platform MBean server under Apache's names,
 * figures that follow the load, and nothing left once it is closed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServerJmxTest {
    private final MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();

    @Test
    void theStandaloneBeansFollowTheLoadAndGoWithTheServer() throws Exception {
        ObjectName serverName;
        ObjectName treeName;
        try (TestServer server = TestServers.paddock(Map.of())) {
            serverName = new ObjectName("org.apache.ZooKeeperService:name0=StandaloneServer_port" + server.port());
            treeName = new ObjectName("org.apache.ZooKeeperService:name0=StandaloneServer_port" + server.port()
                    + ",name1=InMemoryDataTree");
            assertTrue(mbs.isRegistered(serverName));
            assertEquals(Integer.toString(server.port()), mbs.getAttribute(serverName, "ClientPort"));
            assertEquals(Version.fullLine(), mbs.getAttribute(serverName, "Version"));
            assertEquals(2000, mbs.getAttribute(serverName, "TickTime"));
            assertTrue(((String) mbs.getAttribute(serverName, "StartTime")).length() > 10);
            // The system nodes, counted as mntr counts them; published within a second.
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> (int) mbs.getAttribute(treeName, "NodeCount") > 0);
            int before = (int) mbs.getAttribute(treeName, "NodeCount");
            try (ZooKeeper zk = Clients.connect(server.port())) {
                for (int i = 0; i < 5; i++) {
                    zk.create("/n" + i, new byte[10], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                }
                zk.create("/e", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
                zk.exists("/n0", true);
                long zxid = zk.exists("/e", false).getCzxid();
                Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    assertEquals(before + 6, mbs.getAttribute(treeName, "NodeCount"));
                    assertEquals("0x" + Long.toHexString(zxid), mbs.getAttribute(treeName, "LastZxid"));
                    assertEquals(1, mbs.getAttribute(treeName, "WatchCount"));
                    assertEquals(1, mbs.invoke(treeName, "countEphemerals", null, null));
                    assertEquals(1L, mbs.getAttribute(serverName, "NumAliveConnections"));
                    assertTrue((long) mbs.getAttribute(serverName, "PacketsReceived") >= 8);
                    assertTrue((long) mbs.getAttribute(serverName, "PacketsSent") >= 8);
                });
                assertTrue((long) mbs.invoke(treeName, "approximateDataSize", null, null) >= 50);
                assertTrue((long) mbs.getAttribute(serverName, "MaxRequestLatency")
                        >= (long) mbs.getAttribute(serverName, "MinRequestLatency"));
            }
        }
        assertFalse(mbs.isRegistered(serverName));
        assertTrue(mbs.queryNames(new ObjectName("org.apache.ZooKeeperService:name0=" + serverName.getKeyProperty("name0")
                + ",*"), null).isEmpty());
    }
}
