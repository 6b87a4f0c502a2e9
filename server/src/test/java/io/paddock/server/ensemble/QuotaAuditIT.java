package io.paddock.server.ensemble;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.server.testing.Clients;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Quotas and the audit log on a 3-server ensemble of real processes, through Apache's client
 * connected to a follower: the leader's prep refuses a write past a hard quota with QuotaExceeded,
 * every member keeps the same usage, a soft quota is only logged, and the follower writes the
 * audit lines of the requests of its clients.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class QuotaAuditIT {
    private static final Duration ELECTION = Duration.ofSeconds(60);

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** What zkCli's setquota leaves behind: the quota path, its limits, its stats (the server recounts them). */
    private static void setQuota(ZooKeeper zk, String path, String limits) throws Exception {
        zk.create("/zookeeper/quota" + path, null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create("/zookeeper/quota" + path + "/zookeeper_limits", bytes(limits), ZooDefs.Ids.OPEN_ACL_UNSAFE,
                CreateMode.PERSISTENT);
        zk.create("/zookeeper/quota" + path + "/zookeeper_stats", bytes("count=0,bytes=0"),
                ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    }

    private static String stats(ZooKeeper zk, String path) throws Exception {
        zk.sync("/", (rc, p, ctx) -> { }, null);
        return new String(zk.getData("/zookeeper/quota" + path + "/zookeeper_stats", false, null),
                StandardCharsets.UTF_8);
    }

    @Test
    void hardQuotasAreRefusedThroughAFollowerSoftOnesLoggedAndTheFollowerAuditsItsClients() throws Exception {
        try (Ensemble ens = new Ensemble(3, 0, Map.of("enforceQuota", "true", "audit.enable", "true"))) {
            int leader = ens.awaitServing(ELECTION);
            int follower = leader == 1 ? 2 : 1;
            try (ZooKeeper zk = Clients.connect(ens.connectString(follower))) {
                zk.create("/app", bytes("12345"), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                setQuota(zk, "/app", "count=-1,bytes=-1=;byteHardLimit=20;countHardLimit=3");
                assertEquals("count=1,bytes=5", stats(zk, "/app"));

                zk.create("/app/a", bytes("123"), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                zk.create("/app/b", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
                assertThrows(KeeperException.QuotaExceededException.class,
                        () -> zk.create("/app/c", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
                assertThrows(KeeperException.QuotaExceededException.class,
                        () -> zk.setData("/app/a", new byte[16], -1));
                zk.setData("/app/a", new byte[15], -1); // 5 + 15 = 20 bytes: at the limit, not past it
                assertEquals("count=3,bytes=20", stats(zk, "/app"));
                assertFalse(zk.exists("/app/c", false) != null);

                // A soft quota: the write goes through, and the leader (where prep runs) warns.
                zk.create("/soft", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                setQuota(zk, "/soft", "count=2,bytes=-1=;byteHardLimit=-1;countHardLimit=-1");
                zk.create("/soft/a", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                zk.create("/soft/b", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                assertEquals("count=3,bytes=0", stats(zk, "/soft"));
                await().atMost(Duration.ofSeconds(10)).until(() -> ens.log(leader).contains(
                        "quota of /soft exceeded: count would be 3, over its soft limit of 2"));
                assertTrue(ens.log(leader).contains("quota of /app exceeded: count would be 4, over its hard limit of 3;"
                        + " the write is refused"), ens.tail(leader));

                // Every member keeps the same usage: it follows from the txns applied.
                byte[] expected = bytes("count=3,bytes=20");
                for (int i = 1; i <= 3; i++) {
                    try (ZooKeeper member = Clients.connect(ens.connectString(i))) {
                        member.sync("/", (rc, p, ctx) -> { }, null);
                        await().atMost(Duration.ofSeconds(10)).until(() -> java.util.Arrays.equals(expected,
                                member.getData("/zookeeper/quota/app/zookeeper_stats", false, null)));
                        assertArrayEquals(expected, member.getData("/zookeeper/quota/app/zookeeper_stats", false, null));
                    }
                }

                String session = "session=0x" + Long.toHexString(zk.getSessionId());
                String who = "\tuser=127.0.0.1\tip=127.0.0.1\t";
                String log = ens.log(follower);
                assertTrue(log.contains(session + who + "operation=create\tznode=/app/a\tznode_type=persistent"
                        + "\tresult=success"), log);
                assertTrue(log.contains(session + who + "operation=create\tznode=/app/c\tznode_type=persistent"
                        + "\tresult=failure"), log);
                assertTrue(log.contains(session + who + "operation=setData\tznode=/app/a\tresult=failure"), log);
                assertTrue(log.contains(session + who + "operation=setData\tznode=/app/a\tresult=success"), log);
                assertFalse(ens.log(leader).contains(session + who), "only the server the client is on audits it");
                assertTrue(log.contains("operation=serverStart\tresult=success"), log);
                zk.setACL("/soft", ZooDefs.Ids.OPEN_ACL_UNSAFE, -1);
                await().atMost(Duration.ofSeconds(10)).until(() -> ens.log(follower).contains(session + who
                        + "operation=setAcl\tznode=/soft\tacl=world:anyone:cdrwa\tresult=success"));
            }
            // The closed session's ephemeral goes on every server, and each one audits that.
            for (int i = 1; i <= 3; i++) {
                int server = i;
                await().atMost(Duration.ofSeconds(10)).until(() -> ens.log(server).contains(
                        "operation=ephemeralZNodeDeletionOnSessionCloseOrExpire\tznode=/app/b\tresult=success"));
            }
        }
    }
}
