package io.paddock.server.ensemble;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Sessions belong to the ensemble, not to a server: created, kept alive and expired through the
 * leader. Checked with real processes and Apache ZooKeeper's Java client.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class EnsembleSessionsIT {
    private static final Duration ELECTION = Duration.ofSeconds(60);

    @Test
    void aClientWhoseServerDiesMovesWithItsSessionEphemeralsAndWatches() throws Exception {
        try (Ensemble ens = new Ensemble(3, 0, Map.of())) {
            ens.awaitServing(ELECTION);
            BlockingQueue<WatchedEvent> events = new LinkedBlockingQueue<>();
            ZooKeeper zk = connect(ens.connectString(), 10_000, events);
            // Whichever server the client picked (the Java client shuffles the list) is the one to die.
            int victim = serverOf(ens, zk);
            long session = zk.getSessionId();
            zk.create("/eph", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
            zk.exists("/later", true);

            ens.kill(victim);
            await().atMost(Duration.ofSeconds(60)).until(() -> zk.getState() == ZooKeeper.States.CONNECTED
                    && remotePort(zk) > 0 && remotePort(zk) != ens.clientPort(victim));
            int leader = ens.awaitServing(ELECTION);
            assertEquals(session, zk.getSessionId());
            assertNotNull(zk.exists("/eph", false), "the ephemeral of a live session survives its server");

            ZooKeeper other = connect(ens.connectString(leader), 10_000, new LinkedBlockingQueue<>());
            other.create("/later", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            WatchedEvent e;
            do {
                e = events.poll(30, TimeUnit.SECONDS);
                assertNotNull(e, "the watch set through the dead server did not fire");
            } while (e.getType() != Watcher.Event.EventType.NodeCreated);
            assertEquals("/later", e.getPath());
            other.close();
            zk.close();
        }
    }

    @Test
    void theEphemeralsOfAClientCutOffWithItsServerExpireAfterItsTimeoutNotBefore() throws Exception {
        try (Ensemble ens = new Ensemble(3, 0, Map.of())) {
            int leader = ens.awaitServing(ELECTION);
            int follower = leader == 1 ? 2 : 1;
            int timeoutMs = 8000;
            // Knows only its own server: once that dies, nobody keeps the session alive.
            ZooKeeper doomed = connect(ens.connectString(follower), timeoutMs, new LinkedBlockingQueue<>());
            doomed.create("/doomed", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
            ZooKeeper watcher = connect(ens.connectString(leader), 10_000, new LinkedBlockingQueue<>());

            long killed = System.nanoTime();
            ens.kill(follower);
            // Throughout the first half of the timeout the session is alive, so its ephemeral stays.
            await("the ephemeral stays while the session may still come back")
                    .during(Duration.ofMillis(timeoutMs / 2)).atMost(Duration.ofMillis(timeoutMs / 2 + 3000))
                    .pollInterval(Duration.ofMillis(200)).until(() -> watcher.exists("/doomed", false) != null);
            await().atMost(Duration.ofMillis(timeoutMs * 3L)).pollInterval(Duration.ofMillis(100))
                    .until(() -> watcher.exists("/doomed", false) == null);
            long goneAfterMs = (System.nanoTime() - killed) / 1_000_000;
            assertTrue(goneAfterMs >= timeoutMs / 2, "gone after " + goneAfterMs + " ms");
            watcher.close();
            doomed.close(100);
        }
    }

    @Test
    void anIdleClientOfAFollowerIsKeptAliveByTheFollowersReports() throws Exception {
        try (Ensemble ens = new Ensemble(3, 0, Map.of())) {
            int leader = ens.awaitServing(ELECTION);
            int follower = leader == 1 ? 2 : 1;
            int timeoutMs = 4000;
            ZooKeeper idle = connect(ens.connectString(follower), timeoutMs, new LinkedBlockingQueue<>());
            long session = idle.getSessionId();
            idle.create("/idle", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
            ZooKeeper check = connect(ens.connectString(leader), 10_000, new LinkedBlockingQueue<>());
            // Only pings for three session timeouts; the leader hears of them from the follower alone.
            await("the idle session's ephemeral stays").during(Duration.ofMillis(3L * timeoutMs))
                    .atMost(Duration.ofMillis(3L * timeoutMs + 3000)).pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        org.apache.zookeeper.data.Stat stat = check.exists("/idle", false);
                        return stat != null && stat.getEphemeralOwner() == session;
                    });
            check.close();
            idle.close();
        }
    }

    /** The port of the server the client is connected to, or -1. */
    private static int remotePort(ZooKeeper zk) {
        try {
            java.lang.reflect.Method m = ZooKeeper.class.getDeclaredMethod("testableRemoteSocketAddress");
            m.setAccessible(true);
            return m.invoke(zk) instanceof java.net.InetSocketAddress isa ? isa.getPort() : -1;
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("the Java client no longer exposes its remote address", e);
        }
    }

    private static int serverOf(Ensemble ens, ZooKeeper zk) {
        int port = remotePort(zk);
        for (int i = 1; i <= ens.size(); i++) {
            if (ens.clientPort(i) == port) {
                return i;
            }
        }
        throw new AssertionError("connected to no server of the ensemble (port " + port + ")");
    }

    private static ZooKeeper connect(String hosts, int timeoutMs, BlockingQueue<WatchedEvent> events) throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(hosts, timeoutMs, e -> {
            if (e.getType() == Watcher.Event.EventType.None) {
                if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                    connected.countDown();
                }
            } else {
                events.add(e);
            }
        });
        assertTrue(connected.await(30, TimeUnit.SECONDS), "no connection to " + hosts);
        return zk;
    }
}
