package io.paddock.server.ensemble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.tools.attach.VirtualMachine;
import io.paddock.server.testing.Clients;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The JMX beans of a real ensemble (3 voters and an observer, each a process), read through a JMX
 * connector as jmx_exporter reads them: each member's role bean under its replica, the data trees
 * that follow the writes on the leader, a follower and the observer, and after the leader is
 * killed, the new leader's bean says Leader and its Follower bean is gone.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JmxEnsembleIT {
    private static final String DOMAIN = "org.apache.ZooKeeperService:";

    @Test
    void roleBeansFollowTheRolesAndTheTreesFollowTheWrites() throws Exception {
        Map<Integer, JMXConnector> connectors = new HashMap<>();
        try (Ensemble ens = new Ensemble(3, 1, Map.of())) {
            int leader = ens.awaitServing(Duration.ofSeconds(60));
            for (int i = 1; i <= 4; i++) {
                connectors.put(i, connect(ens.pid(i)));
            }
            for (int i = 1; i <= 4; i++) {
                String role = i == leader ? "Leader" : i == 4 ? "Observer" : "Follower";
                MBeanServerConnection mbs = connectors.get(i).getMBeanServerConnection();
                ObjectName roleBean = role(i, role);
                await(() -> mbs.isRegistered(roleBean));
                ObjectName peer = name("name0=ReplicatedServer_id" + i + ",name1=replica." + i);
                assertEquals(i == leader ? "leading" : i == 4 ? "observing" : "following",
                        mbs.getAttribute(peer, "State"));
                assertEquals(i == 4 ? "OBSERVER" : "PARTICIPANT", mbs.getAttribute(peer, "LearnerType"));
                assertEquals(i == leader, mbs.getAttribute(peer, "Leader"));
                assertEquals(3, mbs.getAttribute(name("name0=ReplicatedServer_id" + i), "QuorumSize"));
                for (int j = 1; j <= 4; j++) {
                    ObjectName remote = name("name0=ReplicatedServer_id" + i + ",name1=replica." + j);
                    assertTrue(mbs.isRegistered(remote), remote.toString());
                    if (j != i) {
                        assertEquals(j == leader, mbs.getAttribute(remote, "Leader"));
                    }
                }
                assertEquals(Integer.toString(ens.clientPort(i)), mbs.getAttribute(roleBean, "ClientPort"));
                if (role.equals("Follower")) {
                    assertEquals("127.0.0.1:" + ens.quorumPort(leader), mbs.getAttribute(roleBean, "QuorumAddress"));
                }
            }

            int[] before = new int[5];
            for (int i = 1; i <= 4; i++) {
                before[i] = nodeCount(connectors.get(i), i, i == leader ? "Leader" : i == 4 ? "Observer" : "Follower");
            }
            try (ZooKeeper zk = Clients.connect(ens.connectString(4))) {
                for (int k = 0; k < 10; k++) {
                    zk.create("/jmx" + k, new byte[] {1}, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                }
            }
            for (int i = 1; i <= 4; i++) {
                int server = i;
                String role = i == leader ? "Leader" : i == 4 ? "Observer" : "Follower";
                await(() -> nodeCount(connectors.get(server), server, role) == before[server] + 10);
            }

            ens.kill(leader);
            int next = ens.awaitServing(Duration.ofSeconds(60));
            assertNotEquals(leader, next);
            MBeanServerConnection mbs = connectors.get(next).getMBeanServerConnection();
            await(() -> mbs.isRegistered(role(next, "Leader")));
            assertFalse(mbs.isRegistered(role(next, "Follower")));
            assertEquals("leading", mbs.getAttribute(name("name0=ReplicatedServer_id" + next + ",name1=replica." + next),
                    "State"));
            assertEquals(before[next] + 10, nodeCount(connectors.get(next), next, "Leader"));
            // The observer follows the new leader and keeps its role bean.
            MBeanServerConnection observer = connectors.get(4).getMBeanServerConnection();
            await(() -> observer.isRegistered(role(4, "Observer"))
                    && (boolean) observer.getAttribute(name("name0=ReplicatedServer_id4,name1=replica." + next), "Leader"));
        } finally {
            // The servers are gone by now (the ensemble closes first): a connector can only be dropped.
            for (JMXConnector c : connectors.values()) {
                try {
                    c.close();
                } catch (java.io.IOException ignored) {
                    // Nothing is left to tell.
                }
            }
        }
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static void await(Check check) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(check::holds);
    }

    private static int nodeCount(JMXConnector c, int id, String role) throws Exception {
        return (int) c.getMBeanServerConnection().getAttribute(name("name0=ReplicatedServer_id" + id + ",name1=replica."
                + id + ",name2=" + role + ",name3=InMemoryDataTree"), "NodeCount");
    }

    private static ObjectName role(int id, String role) throws Exception {
        return name("name0=ReplicatedServer_id" + id + ",name1=replica." + id + ",name2=" + role);
    }

    private static ObjectName name(String keys) throws Exception {
        return new ObjectName(DOMAIN + keys);
    }

    /** Attaches to the server's JVM and opens a JMX connection to its local management agent. */
    private static JMXConnector connect(long pid) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
        try {
            return JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent()));
        } finally {
            vm.detach();
        }
    }
}
