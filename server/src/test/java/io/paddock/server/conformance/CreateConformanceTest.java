package io.paddock.server.conformance;

import static io.paddock.server.conformance.Keeper.OPEN;
import static io.paddock.server.conformance.Keeper.assertFails;
import static io.paddock.server.conformance.Keeper.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Timeout;

/** create / create2 / createContainer in every mode, sequential naming, and create's error cases. */
@Timeout(60)
class CreateConformanceTest {

    @BackendTest
    void persistentCreateReturnsPathAndFreshStat(String kind) throws Exception {
        try (ZkEnv env = ZkEnv.start(kind)) {
            ZooKeeper zk = env.client().zk();
            Stat stat = new Stat();
            long before = System.currentTimeMillis();
            assertEquals("/a", zk.create("/a", bytes("xyz"), OPEN, CreateMode.PERSISTENT, stat));
            long after = System.currentTimeMillis();
            long zxid = stat.getCzxid();
            assertTrue(zxid > 0);
            assertTrue(stat.getCtime() >= before && stat.getCtime() <= after, "ctime " + stat.getCtime());
            Keeper.assertStat(Keeper.stat(zxid, zxid, zxid, stat.getCtime(), stat.getCtime(), 0, 0, 0, 0, 3, 0), stat);
            Keeper.assertStat(stat, zk.exists("/a", false));
            // create (opcode 1) returns just the path.
            assertEquals("/b", zk.create("/b", null, OPEN, CreateMode.PERSISTENT));
        }
    }

    @BackendTest
    void ephemeralIsOwnedByTheCreatingSession(String kind) throws Exception {
        try (ZkEnv env = ZkEnv.start(kind)) {
            ZkClient owner = env.client();
            ZkClient other = env.client();
            Stat stat = new Stat();
            assertEquals("/e", owner.zk().create("/e", null, OPEN, CreateMode.EPHEMERAL, stat));
            assertEquals(owner.zk().getSessionId(), stat.getEphemeralOwner());
            assertEquals(owner.zk().getSessionId(), other.zk().exists("/e", false).getEphemeralOwner());
            assertEquals(List.of("/e"), owner.zk().getEphemerals());
            assertEquals(List.of(), other.zk().getEphemerals());
        }
    }

    @BackendTest
    void sequentialSuffixIsTheParentsCreateCounterAndNeverReused(String kind) throws Exception {
        try (ZkEnv env = ZkEnv.start(kind)) {
            ZooKeeper zk = env.client().zk();
            zk.create("/s", null, OPEN, CreateMode.PERSISTENT);
            assertEquals("/s/n-0000000000", zk.create("/s/n-", null, OPEN, CreateMode.PERSISTENT_SEQUENTIAL));
            assertEquals("/s/n-0000000001", zk.create("/s/n-", null, OPEN, CreateMode.PERSISTENT_SEQUENTIAL));
            Stat stat = new Stat();
            assertEquals("/s/e-0000000002", zk.create("/s/e-", null, OPEN, CreateMode.EPHEMERAL_SEQUENTIAL, stat));
            assertEquals(zk.getSessionId(), stat.getEphemeralOwner());
            for (String child : List.of("n-0000000000", "n-0000000001", "e-0000000002")) {
                zk.delete("/s/" + child, -1);
            }
            // A plain create also advances the counter.
            zk.create("/s/plain", null, OPEN, CreateMode.PERSISTENT);
            assertEquals("/s/n-0000000004", zk.create("/s/n-", null, OPEN, CreateMode.PERSISTENT_SEQUENTIAL));
            zk.delete("/s/plain", -1);
            zk.delete("/s/n-0000000004", -1);
            assertEquals("/s/0000000005", zk.create("/s/", null, OPEN, CreateMode.PERSISTENT_SEQUENTIAL));
            // 6 creates and 5 deletes: reported cversion = 2*6 - 1.
            Stat parent = zk.exists("/s", false);
            assertEquals(11, parent.getCversion());
            assertEquals(1, parent.getNumChildren());
        }
    }

    @BackendTest
    void sequentialUnderTheFreshRootStartsAtZero(String kind) throws Exception {
        try (ZkEnv env = ZkEnv.start(kind)) {
            ZooKeeper zk = env.client().zk();
            assertEquals("/seq-0000000000", zk.create("/seq-", null, OPEN, CreateMode.PERSISTENT_SEQUENTIAL));
            assertEquals("/seq-0000000001", zk.create("/seq-", null, OPEN, CreateMode.EPHEMERAL_SEQUENTIAL));
            assertEquals("/0000000002", zk.create("/", null, OPEN, CreateMode.PERSISTENT_SEQUENTIAL));
        }
    }

    @BackendTest
    void containerReportsOwnerZeroAndMayHoldEphemeralChildren(String kind) throws Exception {
        try (ZkEnv env = ZkEnv.start(kind)) {
            ZooKeeper zk = env.client().zk();
            Stat stat = new Stat();
            assertEquals("/c", zk.create("/c", bytes("d"), OPEN, CreateMode.CONTAINER, stat));
            assertEquals(0L, stat.getEphemeralOwner());
            assertEquals(1, stat.getDataLength());
            assertEquals(stat.getCzxid(), stat.getMzxid());
            assertEquals("/c/e", zk.create("/c/e", null, OPEN, CreateMode.EPHEMERAL));
            assertEquals("/c/p", zk.create("/c/p", null, OPEN, CreateMode.PERSISTENT));
            assertEquals(Set.of("e", "p"), Set.copyOf(zk.getChildren("/c", false)));
            assertEquals(0L, zk.exists("/c", false).getEphemeralOwner());
            assertArrayEquals(bytes("d"), zk.getData("/c", false, null));
        }
    }

    @BackendTest
    void ephemeralNodesCannotHaveChildren(String kind) throws Exception {
        try (ZkEnv env = ZkEnv.start(kind)) {
            ZooKeeper zk = env.client().zk();
            zk.create("/e", null, OPEN, CreateMode.EPHEMERAL);
            for (CreateMode mode : List.of(CreateMode.PERSISTENT, CreateMode.EPHEMERAL,
                    CreateMode.PERSISTENT_SEQUENTIAL, CreateMode.EPHEMERAL_SEQUENTIAL, CreateMode.CONTAINER)) {
                assertFails(Code.NOCHILDRENFOREPHEMERALS, () -> zk.create("/e/c", null, OPEN, mode));
            }
            // Another session gets the same answer.
            ZooKeeper other = env.client().zk();
            assertFails(Code.NOCHILDRENFOREPHEMERALS, () -> other.create("/e/c", null, OPEN, CreateMode.PERSISTENT));
        }
    }

    @BackendTest
    void createOfAnExistingPathIsNodeExists(String kind) throws Exception {
        try (ZkEnv env = ZkEnv.start(kind)) {
            ZooKeeper zk = env.client().zk();
            zk.create("/x", null, OPEN, CreateMode.PERSISTENT);
            assertFails(Code.NODEEXISTS, () -> zk.create("/x", null, OPEN, CreateMode.PERSISTENT));
            assertFails(Code.NODEEXISTS, () -> zk.create("/x", null, OPEN, CreateMode.EPHEMERAL, new Stat()));
            assertFails(Code.NODEEXISTS, () -> zk.create("/x", null, OPEN, CreateMode.CONTAINER));
            assertFails(Code.NODEEXISTS, () -> zk.create("/", null, OPEN, CreateMode.PERSISTENT));
            assertFails(Code.NODEEXISTS, () -> zk.create("/zookeeper", null, OPEN, CreateMode.PERSISTENT));
            assertFails(Code.NODEEXISTS, () -> zk.create("/zookeeper/config", null, OPEN, CreateMode.PERSISTENT));
        }
    }

    @BackendTest
    void createUnderAMissingParentIsNoNode(String kind) throws Exception {
        try (ZkEnv env = ZkEnv.start(kind)) {
            ZooKeeper zk = env.client().zk();
            for (CreateMode mode : List.of(CreateMode.PERSISTENT, CreateMode.EPHEMERAL,
                    CreateMode.PERSISTENT_SEQUENTIAL, CreateMode.EPHEMERAL_SEQUENTIAL, CreateMode.CONTAINER)) {
                assertFails(Code.NONODE, () -> zk.create("/missing/x", null, OPEN, mode));
            }
        }
    }

    @BackendTest
    void childrenMayBeCreatedUnderZookeeper(String kind) throws Exception {
        try (ZkEnv env = ZkEnv.start(kind)) {
            ZooKeeper zk = env.client().zk();
            assertEquals("/zookeeper/mine", zk.create("/zookeeper/mine", null, OPEN, CreateMode.PERSISTENT));
            assertEquals(Set.of("quota", "config", "mine"), Set.copyOf(zk.getChildren("/zookeeper", false)));
        }
    }

    @BackendTest
    void nullAndEmptyDataRoundTrip(String kind) throws Exception {
        try (ZkEnv env = ZkEnv.start(kind)) {
            ZooKeeper zk = env.client().zk();
            zk.create("/null", null, OPEN, CreateMode.PERSISTENT);
            zk.create("/empty", new byte[0], OPEN, CreateMode.PERSISTENT);
            Stat stat = new Stat();
            assertNull(zk.getData("/null", false, stat));
            assertEquals(0, stat.getDataLength());
            assertArrayEquals(new byte[0], zk.getData("/empty", false, stat));
            assertEquals(0, stat.getDataLength());
        }
    }

    @BackendTest
    void serverSidePathValidationOnCreate(String kind) {
        try (ZkEnv env = ZkEnv.start(kind)) {
            RawClient raw = env.rawSession();
            assertEquals(0, raw.call(OpCode.CREATE, Jute.create("/a", null, 0)).err());
            Object[][] cases = {
                {"abc", Err.BAD_ARGUMENTS},
                {"", Err.BAD_ARGUMENTS},
                {"/a\u0000b", Err.BAD_ARGUMENTS},
                {"/a/.", Err.BAD_ARGUMENTS},
                {"/a/..", Err.BAD_ARGUMENTS},
                {"/a/", Err.BAD_ARGUMENTS},
                {"/a\u0001", Err.BAD_ARGUMENTS},
                {"/a\u001f", Err.BAD_ARGUMENTS},
                {"/a\u007f", Err.BAD_ARGUMENTS},
                {"/a\u009f", Err.BAD_ARGUMENTS},
                {"/a\ud83d\ude00", Err.BAD_ARGUMENTS},
                {"/a\ue000", Err.BAD_ARGUMENTS},
                {"/a\ufff0", Err.BAD_ARGUMENTS},
                {"/a//b", Err.NO_NODE},
                {"/a/./b", Err.NO_NODE},
                {"/a/../b", Err.NO_NODE},
                {"/nope/b", Err.NO_NODE},
            };
            for (Object[] c : cases) {
                RawReply reply = raw.call(OpCode.CREATE, Jute.create((String) c[0], null, 0));
                assertEquals((int) c[1], reply.err(), "create " + escape((String) c[0]));
                assertEquals(0, reply.body().length);
            }
            for (String ok : List.of("/a b", "/\u00e9", "/.a", "/a..b", "/a/...", "/a:b", "/\u4e2d")) {
                RawReply reply = raw.call(OpCode.CREATE, Jute.create(ok, null, 0));
                assertEquals(0, reply.err(), "create " + escape(ok));
                assertEquals(ok, reply.reader().str());
            }
            // A trailing slash is fine with a sequential flag: the suffix completes the name.
            RawReply seq = raw.call(OpCode.CREATE, Jute.create("/a/", null, 2));
            assertEquals(0, seq.err());
            assertEquals("/a/0000000001", seq.reader().str(), "/a/... was the first child of /a");
        }
    }

    private static String escape(String s) {
        StringBuilder b = new StringBuilder();
        s.chars().forEach(ch -> b.append(ch < 0x20 || ch > 0x7e ? String.format("\\u%04x", ch) : String.valueOf((char) ch)));
        return b.toString();
    }

    @BackendTest
    void invalidFlagsAreBadArgumentsAndTtlFlagsWithoutExtendedTypesAreUnimplemented(String kind) {
        try (ZkEnv env = ZkEnv.start(kind)) {
            RawClient raw = env.rawSession();
            for (int flags : new int[] {7, -1, 100, Integer.MIN_VALUE}) {
                assertEquals(Err.BAD_ARGUMENTS, raw.call(OpCode.CREATE, Jute.create("/f", null, flags)).err(), "flags " + flags);
                assertEquals(Err.BAD_ARGUMENTS, raw.call(OpCode.CREATE2, Jute.create("/f", null, flags)).err(), "flags " + flags);
            }
            for (int flags : new int[] {5, 6}) {
                RawReply reply = raw.call(OpCode.CREATE2, Jute.create("/f", null, flags));
                assertEquals(Err.UNIMPLEMENTED, reply.err(), "flags " + flags);
                assertEquals(Err.UNIMPLEMENTED,
                        raw.call(OpCode.CREATE_TTL, Jute.createTtl("/f", null, flags, 1000)).err(), "ttl flags " + flags);
            }
            // The connection stays usable and nothing was created.
            assertEquals(Err.NO_NODE, raw.call(OpCode.EXISTS, Jute.pathWatch("/f", false)).err());
        }
    }
}
