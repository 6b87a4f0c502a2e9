package io.paddock.server.conformance;

import static io.paddock.server.conformance.Keeper.OPEN;
import static io.paddock.server.conformance.Keeper.assertFails;
import static io.paddock.server.conformance.Keeper.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Timeout;

/** Quota usage upkeep and enforcement, the same on Paddock and on Apache run with zookeeper.enforceQuota. */
@Timeout(120)
class QuotaConformanceTest {
    private static final String LIMITS = "/zookeeper/quota/app/zookeeper_limits";
    private static final String STATS = "/zookeeper/quota/app/zookeeper_stats";

    private static String text(ZooKeeper zk, String path) throws Exception {
        return new String(zk.getData(path, false, null), StandardCharsets.UTF_8);
    }

    @BackendTest
    void usageFollowsTheTreeHardLimitsRefuseSoftOnesDoNot(String kind) throws Exception {
        try (ZkEnv env = ZkEnv.of(SpecialServers.withEnforcedQuota(kind))) {
            ZooKeeper zk = env.client().zk();
            zk.create("/app", bytes("12345"), OPEN, CreateMode.PERSISTENT);
            zk.create("/app/x", bytes("1"), OPEN, CreateMode.PERSISTENT);
            zk.create("/zookeeper/quota/app", null, OPEN, CreateMode.PERSISTENT);
            zk.create(LIMITS, bytes("count=-1,bytes=-1=;byteHardLimit=10;countHardLimit=3"), OPEN,
                    CreateMode.PERSISTENT);
            zk.create(STATS, bytes("count=0,bytes=0"), OPEN, CreateMode.PERSISTENT);
            assertEquals("count=2,bytes=6", text(zk, STATS), "counted when the stats node appears");

            zk.create("/app/y", null, OPEN, CreateMode.PERSISTENT);
            assertFails(Code.QUOTAEXCEEDED, () -> zk.create("/app/z", null, OPEN, CreateMode.PERSISTENT));
            assertFails(Code.QUOTAEXCEEDED, () -> zk.create("/app/x/deep", null, OPEN, CreateMode.PERSISTENT));
            assertFails(Code.QUOTAEXCEEDED, () -> zk.setData("/app/x", bytes("123456"), -1));
            zk.setData("/app/x", bytes("12345"), -1);
            assertEquals("count=3,bytes=10", text(zk, STATS));
            assertFails(Code.QUOTAEXCEEDED, () -> zk.multi(List.of(
                    Op.delete("/app/y", -1), Op.create("/app/m", null, OPEN, CreateMode.PERSISTENT))));
            zk.delete("/app/y", -1);
            assertEquals("count=2,bytes=10", text(zk, STATS));

            // Soft limits only: past them, writes go on.
            zk.setData(LIMITS, bytes("count=1,bytes=1"), -1);
            zk.create("/app/s", bytes("abc"), OPEN, CreateMode.PERSISTENT);
            assertEquals("count=3,bytes=13", text(zk, STATS));

            // No limits node: no quota, and its stats node is no longer kept.
            zk.delete(LIMITS, -1);
            zk.create("/app/t", null, OPEN, CreateMode.PERSISTENT);
            assertEquals("count=3,bytes=13", text(zk, STATS));
        }
    }
}
