package io.paddock.server.conformance;

import static io.paddock.server.conformance.Keeper.OPEN;
import static io.paddock.server.conformance.Keeper.assertFails;
import static io.paddock.server.conformance.Keeper.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Set;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.admin.ZooKeeperAdmin;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Timeout;

/** delete, exists, getData, setData, getChildren(2), getAllChildrenNumber, getEphemerals, sync, reconfig. */
@Timeout(60)
class OperationsConformanceTest {

    @BackendTest
    void deleteChecksVersionChildrenAndExistence(String kind) throws Exception {
        try (ZkEnv env = ZkEnv.start(kind)) {
            ZooKeeper zk = env.client().zk();
            zk.create("/d", null, OPEN, CreateMode.PERSISTENT);
            zk.create("/d/k", null, OPEN, CreateMode.PERSISTENT);
            zk.setData("/d/k", null, 0);
            assertFails(Code.NOTEMPTY, () -> zk.delete("/d", -1));
            assertFails(Code.BADVERSION, () -> zk.delete("/d/k", 0));
            assertFails(Code.BADVERSION, () -> zk.delete("/d/k", 2));
            assertFails(Code.BADVERSION, () -> zk.delete("/d/k", -2));
            zk.delete("/d/k", 1);
            assertFails(Code.NONODE, () -> zk.delete("/d/k", -1));
            assertFails(Code.NONODE, () -> zk.delete("/nope/k", -1));
            zk.delete("/d", -1);
            assertNull(zk.exists("/d", false));
        }
    }

    @BackendTest
    void reservedNodesCannotBeDeleted(String kind) throws Exception {
        try (ZkEnv env = ZkEnv.start(kind)) {
            ZooKeeper zk = env.client().zk();
            for (String path : List.of("/", "/zookeeper", "/zookeeper/quota", "/zookeeper/config")) {
                assertFails(Code.BADARGUMENTS, () -> zk.delete(path, -1));
            }
            RawClient raw = env.rawSession();
            assertEquals(Err.BAD_ARGUMENTS, raw.call(OpCode.DELETE, Jute.delete("abc", -1)).err());
            assertEquals(Err.BAD_ARGUMENTS, raw.call(OpCode.DELETE, Jute.delete("/a\u0000", -1)).err());
            assertEquals(Err.NO_NODE, raw.call(OpCode.DELETE, Jute.delete("/a//b", -1)).err());
        }
    }

    @BackendTest
    void existsAndGetData(String kind) throws Exception {
        try (ZkEnv env = ZkEnv.start(kind)) {
            ZooKeeper zk = env.client().zk();
            assertNull(zk.exists("/g", false));
            assertFails(Code.NONODE, () -> zk.getData("/g", false, null));
            Stat created = new Stat();
            zk.create("/g", bytes("payload"), OPEN, CreateMode.PERSISTENT, created);
            Stat stat = new Stat();
            assertArrayEquals(bytes("payload"), zk.getData("/g", false, stat));
            Keeper.assertStat(created, stat);

            // Server-side path handling of reads: no validation beyond NUL for exists.
            RawClient raw = env.rawSession();
            assertEquals(Err.NO_NODE, raw.call(OpCode.EXISTS, Jute.pathWatch("abc", false)).err());
            assertEquals(Err.BAD_ARGUMENTS, raw.call(OpCode.EXISTS, Jute.pathWatch("/g\u0000", false)).err());
            assertEquals(Err.NO_NODE, raw.call(OpCode.GET_DATA, Jute.pathWatch("abc", false)).err());
            assertEquals(Err.NO_NODE, raw.call(OpCode.GET_DATA, Jute.pathWatch("/g/", false)).err());
            assertEquals(Err.NO_NODE, raw.call(OpCode.GET_CHILDREN, Jute.pathWatch("g", false)).err());
        }
    }

    @BackendTest
    void setDataVersionsAndPermissions(String kind) throws Exception {
        try (ZkEnv env = ZkEnv.start(kind)) {
            ZooKeeper zk = env.client().zk();
            assertFails(Code.NONODE, () -> zk.setData("/s", null, -1));
            zk.create("/s", null, OPEN, CreateMode.PERSISTENT);
            assertFails(Code.BADVERSION, () -> zk.setData("/s", bytes("a"), 1));
            assertFails(Code.BADVERSION, () -> zk.setData("/s", bytes("a"), -2));
            assertEquals(1, zk.setData("/s", bytes("a"), 0).getVersion());
            assertEquals(2, zk.setData("/s", bytes("b"), -1).getVersion());
            assertArrayEquals(bytes("b"), zk.getData("/s", false, null));
            // Allowed on the root and /zookeeper; /zookeeper/config is read-only by ACL.
            assertEquals(1, zk.setData("/", bytes("root"), -1).getVersion());
            assertArrayEquals(bytes("root"), zk.getData("/", false, null));
            assertEquals(1, zk.setData("/zookeeper", bytes("zk"), 0).getVersion());
            assertFails(Code.NOAUTH, () -> zk.setData("/zookeeper/config", bytes("x"), -1));

            RawClient raw = env.rawSession();
            for (String bad : List.of("abc", "/s/", "/s/.", "/s//x", "/s\u0001")) {
                assertEquals(Err.BAD_ARGUMENTS, raw.call(OpCode.SET_DATA, Jute.setData(bad, null, -1)).err(), bad);
            }
        }
    }

    @BackendTest
    void getChildrenAndGetChildren2(String kind) throws Exception {
        try (ZkEnv env = ZkEnv.start(kind)) {
            ZooKeeper zk = env.client().zk();
            assertFails(Code.NONODE, () -> zk.getChildren("/p", false));
            assertFails(Code.NONODE, () -> zk.getChildren("/p", false, new Stat()));
            zk.create("/p", null, OPEN, CreateMode.PERSISTENT);
            assertEquals(List.of(), zk.getChildren("/p", false));
            for (String name : List.of("b", "a", "c d", "\u00e9")) {
                zk.create("/p/" + name, null, OPEN, CreateMode.PERSISTENT);
            }
            zk.create("/p/a/deeper", null, OPEN, CreateMode.PERSISTENT);
            assertEquals(Set.of("a", "b", "c d", "\u00e9"), Set.copyOf(zk.getChildren("/p", false)));
            Stat stat = new Stat();
            List<String> children = zk.getChildren("/p", false, stat);
            assertEquals(4, children.size());
            Keeper.assertStat(zk.exists("/p", false), stat);
            assertEquals(4, stat.getNumChildren());
        }
    }

    @BackendTest
    void getAllChildrenNumberCountsAllDescendants(String kind) throws Exception {
        try (ZkEnv env = ZkEnv.start(kind)) {
            ZooKeeper zk = env.client().zk();
            assertEquals(3, zk.getAllChildrenNumber("/"));
            assertEquals(2, zk.getAllChildrenNumber("/zookeeper"));
            for (String path : List.of("/a", "/a/b", "/a/b/c", "/a/d")) {
                zk.create(path, null, OPEN, CreateMode.PERSISTENT);
            }
            assertEquals(3, zk.getAllChildrenNumber("/a"));
            assertEquals(1, zk.getAllChildrenNumber("/a/b"));
            assertEquals(0, zk.getAllChildrenNumber("/a/d"));
            assertEquals(7, zk.getAllChildrenNumber("/"));
            assertFails(Code.NONODE, () -> zk.getAllChildrenNumber("/missing"));
        }
    }

    @BackendTest
    void getEphemeralsListsOnlyTheCallersOwnByStringPrefix(String kind) throws Exception {
        try (ZkEnv env = ZkEnv.start(kind)) {
            ZooKeeper zk = env.client().zk();
            ZooKeeper other = env.client().zk();
            zk.create("/e", null, OPEN, CreateMode.PERSISTENT);
            zk.create("/e/eph", null, OPEN, CreateMode.EPHEMERAL);
            zk.create("/e/e2", null, OPEN, CreateMode.EPHEMERAL);
            zk.create("/e/x", null, OPEN, CreateMode.EPHEMERAL);
            zk.create("/e/persistent", null, OPEN, CreateMode.PERSISTENT);
            other.create("/e/theirs", null, OPEN, CreateMode.EPHEMERAL);
            zk.create("/top", null, OPEN, CreateMode.EPHEMERAL);

            assertEquals(Set.of("/e/eph", "/e/e2", "/e/x", "/top"), Set.copyOf(zk.getEphemerals()));
            assertEquals(4, zk.getEphemerals().size());
            assertEquals(Set.of("/e/eph", "/e/e2", "/e/x", "/top"), Set.copyOf(zk.getEphemerals("/")));
            assertEquals(Set.of("/e/eph", "/e/e2"), Set.copyOf(zk.getEphemerals("/e/e")));
            assertEquals(List.of(), zk.getEphemerals("/nothing"));
            assertEquals(List.of("/e/theirs"), other.getEphemerals());

            RawClient raw = env.rawSession();
            raw.call(OpCode.CREATE, Jute.create("/raw-eph", null, 1));
            for (String prefix : new String[] {null, "", "/"}) {
                JuteReader in = raw.call(OpCode.GET_EPHEMERALS, Jute.path(prefix)).reader();
                assertEquals(List.of("/raw-eph"), in.strings(), "prefix " + prefix);
            }
        }
    }

    @BackendTest
    void syncSucceedsForAnyPath(String kind) throws Exception {
        try (ZkEnv env = ZkEnv.start(kind)) {
            ZooKeeper zk = env.client().zk();
            zk.sync("/");
            zk.sync("/does/not/exist");
        }
    }

    @BackendTest
    void reconfigIsDisabledByDefault(String kind) throws Exception {
        try (ZkEnv env = ZkEnv.start(kind)) {
            EventLog log = new EventLog();
            ZooKeeperAdmin admin = new ZooKeeperAdmin(env.server().connectString(), ZkEnv.DEFAULT_TIMEOUT_MS, log);
            env.track(admin::close);
            log.awaitState(org.apache.zookeeper.Watcher.Event.KeeperState.SyncConnected);
            assertFails(Code.RECONFIGDISABLED, () -> admin.reconfigure("server.2=127.0.0.1:2888:3888;2181", null, null, -1, new Stat()));
            assertFails(Code.RECONFIGDISABLED, () -> admin.reconfigure(null, "2", null, -1, new Stat()));

            RawClient raw = env.rawSession();
            RawReply reply = raw.call(OpCode.RECONFIG, Jute.body().str(null).str("2").str(null).i64(-1).bytes());
            assertEquals(Err.RECONFIG_DISABLED, reply.err());
            assertEquals(0, reply.body().length);
        }
    }

    @BackendTest
    void ttlCreateWithoutExtendedTypesIsUnimplemented(String kind) throws Exception {
        try (ZkEnv env = ZkEnv.start(kind)) {
            ZooKeeper zk = env.client().zk();
            assertFails(Code.UNIMPLEMENTED, () -> zk.create("/t", null, OPEN, CreateMode.PERSISTENT_WITH_TTL, new Stat(), 5000));
            assertFails(Code.UNIMPLEMENTED, () -> zk.create("/t", null, OPEN, CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL, new Stat(), 5000));
            assertNull(zk.exists("/t", false));
        }
    }
}
