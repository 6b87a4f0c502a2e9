package io.paddock.server.ensemble;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Real Paddock server processes forming an ensemble on loopback, driven by Apache ZooKeeper's
 * own Java client: the leader is killed with SIGKILL under a steady write load, followers are
 * killed and catch up (by DIFF when a little behind, by SNAP when far behind), a majority goes
 * down and comes back, and an observer serves without voting. After each, every write whose
 * acknowledgement reached a client is on every server.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class EnsembleIT {
    private static final Duration ELECTION = Duration.ofSeconds(60);

    @Test
    void killingTheLeaderUnderLoadLosesNoAcknowledgedWrite() throws Exception {
        try (Ensemble ens = new Ensemble(3, 0, Map.of())) {
            int leader = ens.awaitServing(ELECTION);
            ZooKeeper setup = connect(ens.connectString());
            setup.create("/w", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            setup.close();

            Set<String> acked = ConcurrentHashMap.newKeySet();
            AtomicLong lastAckNanos = new AtomicLong();
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> writers = new ArrayList<>();
            List<ZooKeeper> clients = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                ZooKeeper zk = connect(ens.connectString());
                clients.add(zk);
                int id = t;
                Thread w = new Thread(() -> writeLoop(zk, id, stop, acked, lastAckNanos), "writer-" + t);
                writers.add(w);
                w.start();
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> acked.size() >= 300);

            long killedAt = System.nanoTime();
            killedAtNanos.set(killedAt);
            ens.kill(leader);
            await().atMost(Duration.ofSeconds(60)).until(() -> firstAckAfterKill.get() > 0);
            // The first write that started after the kill and was acknowledged: the failover time.
            long failoverMs = (firstAckAfterKill.get() - killedAt) / 1_000_000;
            System.out.println("ENSEMBLE_FAILOVER_MS=" + failoverMs);
            int before = acked.size();
            await().atMost(Duration.ofSeconds(60)).until(() -> acked.size() >= before + 300);
            stop.set(true);
            for (Thread w : writers) {
                w.join(30_000);
            }
            for (ZooKeeper zk : clients) {
                zk.close(2000);
            }

            ens.start(leader);
            ens.awaitServing(ELECTION);
            assertEverywhere(ens, acked);
        }
    }

    @Test
    void aFollowerCatchesUpByDiffAndOneFarBehindBySnap() throws Exception {
        try (Ensemble ens = new Ensemble(3, 0, Map.of("commitLogCount", "100"))) {
            int leader = ens.awaitServing(ELECTION);
            int follower = leader == 1 ? 2 : 1;
            ZooKeeper zk = connect(ens.connectString(leader));
            zk.create("/d", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            Set<String> written = new HashSet<>();
            write(zk, "/d/a", 20, written);

            ens.kill(follower);
            write(zk, "/d/b", 40, written);
            ens.start(follower);
            ens.awaitServing(ELECTION);
            assertEquals(Set.of(), missingOn(ens, follower, "/d", written));
            assertFalse(ens.log(follower).contains("SNAP: installed"), "a follower 40 txns behind needs no snapshot");

            ens.kill(follower);
            write(zk, "/d/c", 400, written);
            ens.start(follower);
            ens.awaitServing(ELECTION);
            assertEquals(Set.of(), missingOn(ens, follower, "/d", written));
            assertTrue(ens.log(follower).contains("SNAP: installed"), "a follower 400 txns behind (window 100) takes a snapshot: "
                    + ens.tail(follower));
            zk.close();
            // The membership is still published after the follower replaced its tree with the leader's.
            ZooKeeper viaFollower = connect(ens.connectString(follower));
            assertEquals(membership(ens, 3, 0), new String(viaFollower.getConfig(false, null), StandardCharsets.UTF_8));
            viaFollower.close();
        }
    }

    @Test
    void withTwoOfThreeDownNothingIsWrittenAndServiceResumesWhenTheyReturn() throws Exception {
        try (Ensemble ens = new Ensemble(3, 0, Map.of())) {
            int leader = ens.awaitServing(ELECTION);
            ZooKeeper zk = connect(ens.connectString(leader));
            Set<String> written = new HashSet<>();
            zk.create("/m", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            write(zk, "/m/x", 20, written);
            zk.close();

            List<Integer> others = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                if (i != leader) {
                    others.add(i);
                }
            }
            for (int i : others) {
                ens.kill(i);
            }
            // Alone, the old leader loses its quorum and stops serving: no server accepts a write.
            await().atMost(Duration.ofSeconds(30)).until(() -> ens.mode(leader).isEmpty());
            ZooKeeper lonely = new ZooKeeper(ens.connectString(leader), 4000, e -> { });
            try {
                assertThrows(KeeperException.class, () -> lonely.create("/m/never", new byte[0],
                        ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
            } finally {
                lonely.close(1000);
            }

            for (int i : others) {
                ens.start(i);
            }
            ens.awaitServing(ELECTION);
            ZooKeeper again = connect(ens.connectString());
            write(again, "/m/y", 20, written);
            again.close();
            for (int i = 1; i <= 3; i++) {
                assertEquals(Set.of(), missingOn(ens, i, "/m", written), "server " + i);
                assertFalse(childrenOn(ens, i, "/m").contains("never"));
            }
        }
    }

    @Test
    void anObserverServesReadsAndWritesButNeverVotes() throws Exception {
        try (Ensemble ens = new Ensemble(3, 1, Map.of())) {
            ens.awaitServing(ELECTION);
            assertEquals("observer", ens.mode(4));
            ZooKeeper viaObserver = connect(ens.connectString(4));
            Set<String> written = new HashSet<>();
            viaObserver.create("/o", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            write(viaObserver, "/o/n", 30, written);
            // Every member publishes the membership in /zookeeper/config, as Apache's getConfig reads it.
            Stat configStat = new Stat();
            assertEquals(membership(ens, 3, 1), new String(viaObserver.getConfig(false, configStat),
                    StandardCharsets.UTF_8));
            assertEquals(-1, configStat.getVersion());
            viaObserver.close();
            for (int i = 1; i <= 4; i++) {
                ZooKeeper zk = connect(ens.connectString(i));
                assertEquals(membership(ens, 3, 1), new String(zk.getConfig(false, null), StandardCharsets.UTF_8),
                        "server " + i);
                zk.close();
            }
            for (int i = 1; i <= 4; i++) {
                assertEquals(Set.of(), missingOn(ens, i, "/o", written), "server " + i);
            }
            String mntr = ens.fourLetterWord(ens.leader(), "mntr");
            assertTrue(mntr.contains("zk_synced_followers\t2"), mntr);
            assertTrue(mntr.contains("zk_synced_observers\t1"), mntr);
            String conf = ens.fourLetterWord(4, "conf");
            assertTrue(conf.contains("serverId=4\n") && conf.contains("peerType=1\n") && conf.contains("membership: \n")
                    && conf.contains(":observer"), conf);

            // Two voters down: the observer and the last voter are no quorum.
            int leader = ens.leader();
            int killed = 0;
            for (int i = 1; i <= 3 && killed < 2; i++) {
                if (i != leader) {
                    ens.kill(i);
                    killed++;
                }
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> ens.mode(4).isEmpty() && ens.mode(leader).isEmpty());
        }
    }

    // ------------------------------------------------------------------ helpers

    /** What /zookeeper/config holds for the ensemble's static configuration (version 0). */
    private static String membership(Ensemble ens, int voters, int observers) {
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= voters + observers; i++) {
            text.append("server.").append(i).append("=127.0.0.1:").append(ens.quorumPort(i)).append(':')
                    .append(ens.electionPort(i)).append(i > voters ? ":observer" : ":participant").append('\n');
        }
        return text.append("version=0").toString();
    }

    private static ZooKeeper connect(String connectString) throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(connectString, 10_000, e -> {
            if (e.getState() == org.apache.zookeeper.Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        assertTrue(connected.await(30, TimeUnit.SECONDS), "no connection to " + connectString);
        return zk;
    }

    private final AtomicLong killedAtNanos = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong firstAckAfterKill = new AtomicLong();

    private void writeLoop(ZooKeeper zk, int id, AtomicBoolean stop, Set<String> acked, AtomicLong lastAck) {
        long seq = 0;
        while (!stop.get()) {
            String path = "/w/" + id + "-" + (++seq);
            try {
                long started = System.nanoTime();
                zk.create(path, new byte[100], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                acked.add(path.substring(3));
                long now = System.nanoTime();
                lastAck.set(now);
                if (started > killedAtNanos.get()) {
                    firstAckAfterKill.compareAndSet(0, now);
                }
            } catch (KeeperException e) {
                // ConnectionLoss and the like: the outcome is unknown, so it is not counted as acknowledged.
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static void write(ZooKeeper zk, String prefix, int n, Set<String> written) throws Exception {
        for (int i = 0; i < n; i++) {
            String path = prefix + i;
            zk.create(path, new byte[10], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            written.add(path.substring(path.lastIndexOf('/') + 1));
        }
    }

    private static Set<String> childrenOn(Ensemble ens, int i, String parent) throws Exception {
        ZooKeeper zk = connect(ens.connectString(i));
        try {
            CountDownLatch synced = new CountDownLatch(1);
            zk.sync(parent, (rc, path, ctx) -> synced.countDown(), null);
            assertTrue(synced.await(30, TimeUnit.SECONDS));
            return new HashSet<>(zk.getChildren(parent, false));
        } finally {
            zk.close(1000);
        }
    }

    private static Set<String> missingOn(Ensemble ens, int i, String parent, Set<String> expected) throws Exception {
        Set<String> missing = new HashSet<>(expected);
        missing.removeAll(childrenOn(ens, i, parent));
        return missing;
    }

    private static void assertEverywhere(Ensemble ens, Set<String> acked) throws Exception {
        Set<String> first = null;
        for (int i = 1; i <= ens.size(); i++) {
            Set<String> children = childrenOn(ens, i, "/w");
            Set<String> missing = new HashSet<>(acked);
            missing.removeAll(children);
            assertEquals(Set.of(), missing, "acknowledged writes missing on server " + i);
            if (first == null) {
                first = children;
            } else {
                assertEquals(first, children, "servers 1 and " + i + " disagree");
            }
        }
    }
}
