package io.paddock.server.conformance;

import static io.paddock.server.conformance.Keeper.OPEN;
import static io.paddock.server.conformance.Keeper.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs.Ids;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Timeout;

/** How every Stat field is set and maintained, including the built-in nodes of a fresh server. */
@Timeout(60)
class StatConformanceTest {

    @BackendTest
    void builtInNodesOfAFreshServer(String kind) throws Exception {
        try (ZkEnv env = ZkEnv.start(kind)) {
            ZooKeeper zk = env.client().zk();
            Keeper.assertStat(Keeper.stat(0, 0, 0, 0, 0, 0, -1, 0, 0, 0, 1), zk.exists("/", false));
            Keeper.assertStat(Keeper.stat(0, 0, 0, 0, 0, 0, -2, 0, 0, 0, 2), zk.exists("/zookeeper", false));
            Keeper.assertStat(Keeper.stat(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), zk.exists("/zookeeper/quota", false));
            Keeper.assertStat(Keeper.stat(0, 0, 0, 0, 0, 0, 0, -1, 0, 0, 0), zk.exists("/zookeeper/config", false));

            assertEquals(OPEN, zk.getACL("/", new Stat()));
            assertEquals(OPEN, zk.getACL("/zookeeper", new Stat()));
            assertEquals(OPEN, zk.getACL("/zookeeper/quota", new Stat()));
            assertEquals(Ids.READ_ACL_UNSAFE, zk.getACL("/zookeeper/config", new Stat()));

            assertEquals(List.of("zookeeper"), zk.getChildren("/", false));
            assertEquals(3, zk.getAllChildrenNumber("/"));
            assertEquals(0, zk.getData("/zookeeper/config", false, null).length, "standalone config is empty");
        }
    }

    @BackendTest
    void rootStatAfterTheFirstClientCreate(String kind) throws Exception {
        try (ZkEnv env = ZkEnv.start(kind)) {
            ZooKeeper zk = env.client().zk();
            Stat a = new Stat();
            zk.create("/a", null, OPEN, CreateMode.PERSISTENT, a);
            Stat root = zk.exists("/", false);
            assertEquals(0, root.getCversion(), "2*1 - 2");
            assertEquals(2, root.getNumChildren());
            assertEquals(a.getCzxid(), root.getPzxid());
            assertEquals(0, root.getMzxid());
            assertEquals(0, root.getCzxid());
        }
    }

    @BackendTest
    void setDataBumpsVersionMzxidMtimeAndNothingElse(String kind) throws Exception {
        try (ZkEnv env = ZkEnv.start(kind)) {
            ZooKeeper zk = env.client().zk();
            Stat created = new Stat();
            zk.create("/n", bytes("one"), OPEN, CreateMode.PERSISTENT, created);
            long before = System.currentTimeMillis();
            Stat changed = zk.setData("/n", bytes("three"), 0);
            long after = System.currentTimeMillis();
            assertTrue(changed.getMzxid() > created.getMzxid());
            assertTrue(changed.getMtime() >= before && changed.getMtime() <= after);
            Keeper.assertStat(Keeper.stat(created.getCzxid(), changed.getMzxid(), created.getPzxid(), created.getCtime(),
                    changed.getMtime(), 1, 0, 0, 0, 5, 0), changed);
            Keeper.assertStat(changed, zk.exists("/n", false));

            // Identical bytes still count as a change.
            Stat same = zk.setData("/n", bytes("three"), 1);
            assertEquals(2, same.getVersion());
            assertTrue(same.getMzxid() > changed.getMzxid());
            // Null data: length 0.
            assertEquals(0, zk.setData("/n", null, -1).getDataLength());
        }
    }

    @BackendTest
    void setAclBumpsAversionOnly(String kind) throws Exception {
        try (ZkEnv env = ZkEnv.start(kind)) {
            ZooKeeper zk = env.client().zk();
            Stat created = new Stat();
            zk.create("/n", bytes("x"), OPEN, CreateMode.PERSISTENT, created);
            Stat afterAcl = zk.setACL("/n", Keeper.acls(new ACL(Perms.ALL, Ids.ANYONE_ID_UNSAFE), new ACL(Perms.READ, Ids.ANYONE_ID_UNSAFE)), 0);
            Keeper.assertStat(Keeper.stat(created.getCzxid(), created.getMzxid(), created.getPzxid(), created.getCtime(),
                    created.getMtime(), 0, 0, 1, 0, 1, 0), afterAcl);
            Keeper.assertStat(afterAcl, zk.exists("/n", false));
            assertEquals(2, zk.setACL("/n", OPEN, -1).getAversion());
        }
    }

    @BackendTest
    void childCreatesAndDeletesMaintainParentCversionNumChildrenAndPzxid(String kind) throws Exception {
        try (ZkEnv env = ZkEnv.start(kind)) {
            ZooKeeper zk = env.client().zk();
            Stat parent0 = new Stat();
            zk.create("/p", bytes("d"), OPEN, CreateMode.PERSISTENT, parent0);
            Stat c1 = new Stat();
            zk.create("/p/c1", null, OPEN, CreateMode.PERSISTENT, c1);
            Stat parent = zk.exists("/p", false);
            Keeper.assertStat(Keeper.stat(parent0.getCzxid(), parent0.getMzxid(), c1.getCzxid(), parent0.getCtime(),
                    parent0.getMtime(), 0, 1, 0, 0, 1, 1), parent);

            zk.create("/p/c2", null, OPEN, CreateMode.PERSISTENT);
            Stat c3 = new Stat();
            zk.create("/p/c3", null, OPEN, CreateMode.PERSISTENT, c3);
            assertEquals(c3.getPzxid(), c3.getCzxid());

            RawClient raw = env.rawSession();
            long deleteZxid = raw.call(OpCode.DELETE, Jute.delete("/p/c1", -1)).zxid();
            parent = zk.exists("/p", false);
            assertEquals(deleteZxid, parent.getPzxid());
            assertEquals(4, parent.getCversion(), "3 creates + 1 delete");
            assertEquals(2, parent.getNumChildren());
            assertEquals(parent0.getMzxid(), parent.getMzxid(), "child changes leave mzxid alone");
            assertEquals(0, parent.getVersion());

            // An ephemeral removed by closeSession also raises pzxid, to the close transaction's zxid.
            raw.call(OpCode.CREATE, Jute.create("/p/eph", null, 1));
            long closeZxid = raw.call(OpCode.CLOSE_SESSION, new byte[0]).zxid();
            parent = zk.exists("/p", false);
            assertEquals(closeZxid, parent.getPzxid());
            assertEquals(6, parent.getCversion(), "4 creates + 2 deletes");
            assertEquals(2, parent.getNumChildren());
        }
    }

    @BackendTest
    void readsReportTheSameStatAndDoNotConsumeZxids(String kind) throws Exception {
        try (ZkEnv env = ZkEnv.start(kind)) {
            ZooKeeper zk = env.client().zk();
            zk.create("/r", bytes("abc"), OPEN, CreateMode.PERSISTENT);
            zk.create("/r/k", null, OPEN, CreateMode.PERSISTENT);
            Stat exists = zk.exists("/r", false);
            Stat viaGetData = new Stat();
            zk.getData("/r", false, viaGetData);
            Stat viaChildren = new Stat();
            zk.getChildren("/r", false, viaChildren);
            Stat viaAcl = new Stat();
            zk.getACL("/r", viaAcl);
            Keeper.assertStat(exists, viaGetData);
            Keeper.assertStat(exists, viaChildren);
            Keeper.assertStat(exists, viaAcl);

            RawClient raw = env.rawSession();
            long zxid = raw.call(OpCode.SET_DATA, Jute.setData("/r", null, -1)).zxid();
            assertEquals(zxid, raw.call(OpCode.GET_DATA, Jute.pathWatch("/r", false)).zxid());
            assertEquals(zxid, raw.call(OpCode.GET_CHILDREN2, Jute.pathWatch("/r", false)).zxid());
            assertEquals(zxid, raw.call(OpCode.EXISTS, Jute.pathWatch("/nope", false)).zxid());
            assertEquals(zxid, raw.call(OpCode.GET_ACL, Jute.path("/r")).zxid());
            assertEquals(zxid, raw.ping().zxid());
        }
    }

    @BackendTest
    void zxidsOfSuccessfulWritesStrictlyIncrease(String kind) {
        try (ZkEnv env = ZkEnv.start(kind)) {
            RawClient raw = env.rawSession();
            long z1 = raw.call(OpCode.CREATE, Jute.create("/z", null, 0)).zxid();
            RawReply failed = raw.call(OpCode.CREATE, Jute.create("/z", null, 0));
            assertEquals(Err.NODE_EXISTS, failed.err());
            assertTrue(failed.zxid() >= z1, "a failed write never reports an older zxid");
            long z2 = raw.call(OpCode.SET_DATA, Jute.setData("/z", null, -1)).zxid();
            long z3 = raw.call(OpCode.DELETE, Jute.delete("/z", -1)).zxid();
            assertTrue(z1 > 0 && z2 > z1 && z3 > z2, z1 + " " + z2 + " " + z3);
        }
    }

    @BackendTest
    void ephemeralOwnerPerMode(String kind) throws Exception {
        try (ZkEnv env = ZkEnv.start(kind)) {
            ZooKeeper zk = env.client().zk();
            long session = zk.getSessionId();
            Object[][] cases = {
                {CreateMode.PERSISTENT, 0L},
                {CreateMode.PERSISTENT_SEQUENTIAL, 0L},
                {CreateMode.EPHEMERAL, session},
                {CreateMode.EPHEMERAL_SEQUENTIAL, session},
                {CreateMode.CONTAINER, 0L},
            };
            int i = 0;
            for (Object[] c : cases) {
                Stat stat = new Stat();
                String path = zk.create("/o" + i++, null, OPEN, (CreateMode) c[0], stat);
                assertEquals((long) c[1], stat.getEphemeralOwner(), c[0].toString());
                assertEquals((long) c[1], zk.exists(path, false).getEphemeralOwner(), c[0].toString());
            }
        }
    }
}
