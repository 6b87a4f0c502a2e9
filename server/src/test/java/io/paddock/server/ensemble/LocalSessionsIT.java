package io.paddock.server.ensemble;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.server.testing.Clients;
import java.time.Duration;
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
 * Local sessions ({@code localSessionsEnabled}, {@code localSessionsUpgradingEnabled}) with real
 * server processes and Apache's client: a session made on the observer lives there alone (no
 * txn, counted in its {@code local_sessions}), is expired when taken to another server or when its
 * server loses the leader, and becomes the ensemble's when it creates an ephemeral node, after
 * which it outlives the leader's death.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class LocalSessionsIT {
    private static final Duration ELECTION = Duration.ofSeconds(60);
    private static final int OBSERVER = 4;

    @Test
    void localSessionsStayWithTheirServerUntilAnEphemeralMakesThemTheEnsembles() throws Exception {
        try (Ensemble ens = new Ensemble(3, 1, Map.of("localSessionsEnabled", "true",
                "localSessionsUpgradingEnabled", "true"))) {
            int leader = ens.awaitServing(ELECTION);
            int follower = leader == 1 ? 2 : 1;

            // A local session on the observer: its writes go through the leader, but no session txn.
            ZooKeeper local = Clients.connect(ens.connectString(OBSERVER));
            local.create("/ls", new byte[] {1}, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            assertTrue(ens.fourLetterWord(OBSERVER, "mntr").contains("zk_local_sessions\t1"));
            assertTrue(ens.fourLetterWord(leader, "mntr").contains("zk_global_sessions\t0"),
                    "the ensemble never heard of it");

            // Taken to the follower, it is unknown there: expired, as with Apache.
            CountDownLatch expired = new CountDownLatch(1);
            ZooKeeper moved = new ZooKeeper(ens.connectString(follower), 10_000, e -> {
                if (e.getState() == Watcher.Event.KeeperState.Expired) {
                    expired.countDown();
                }
            }, local.getSessionId(), local.getSessionPasswd());
            assertTrue(expired.await(30, TimeUnit.SECONDS), "a local session is not valid on another server");
            moved.close();

            // A session on the follower creates an ephemeral: it becomes the ensemble's first.
            ZooKeeper upgraded = Clients.connect(ens.connectString(follower));
            upgraded.create("/ls/e", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    ens.fourLetterWord(leader, "mntr").contains("zk_global_sessions\t1"));
            long upgradedId = upgraded.getSessionId();

            // The fault: the leader dies. The observer's local session goes with its server's service;
            // the upgraded one is the ensemble's and lives on, its ephemeral with it.
            CountDownLatch localExpired = new CountDownLatch(1);
            local.register(e -> {
                if (e.getState() == Watcher.Event.KeeperState.Expired) {
                    localExpired.countDown();
                }
            });
            ens.kill(leader);
            int next = ens.awaitServing(ELECTION);
            assertNotEquals(leader, next);
            assertTrue(localExpired.await(60, TimeUnit.SECONDS), "a local session ends when its server stops serving");
            await().atMost(ELECTION).ignoreExceptions().until(() -> {
                upgraded.setData("/ls", new byte[] {2}, -1);
                return true;
            });
            assertTrue(upgraded.getSessionId() == upgradedId);
            for (int i = 1; i <= 4; i++) {
                if (i == leader) {
                    continue;
                }
                ZooKeeper check = Clients.connect(ens.connectString(i));
                check.sync("/ls", (rc, p, c) -> { }, null);
                await().atMost(Duration.ofSeconds(10)).until(() -> check.exists("/ls/e", false) != null);
                assertNotNull(check.exists("/ls/e", false), "server " + i);
                check.close();
            }
            upgraded.close();
            local.close();
        }
    }
}
