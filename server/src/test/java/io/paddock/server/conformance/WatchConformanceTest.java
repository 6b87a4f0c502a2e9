package io.paddock.server.conformance;

import static io.paddock.server.conformance.Keeper.OPEN;
import static io.paddock.server.conformance.Keeper.assertFails;
import static io.paddock.server.conformance.Keeper.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.Watcher.WatcherType;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Timeout;

/** One-shot, persistent and recursive watches: what fires, in which order, how often, and when. */
@Timeout(60)
class WatchConformanceTest {

    @BackendTest
    void dataWatchFiresOnceWithTheWriteZxid(String kind) throws Exception {
        try (ZkEnv env = ZkEnv.start(kind)) {
            ZkClient watcher = env.client();
            ZooKeeper writer = env.client().zk();
            writer.create("/w", null, OPEN, CreateMode.PERSISTENT);
            watcher.zk().getData("/w", true, null);
            Stat changed = writer.setData("/w", bytes("1"), -1);
            writer.setData("/w", bytes("2"), -1);
            watcher.log().awaitEvents(1);
            assertEquals(List.of("NodeDataChanged /w"), watcher.settledEvents());
            assertEquals(changed.getMzxid(), watcher.log().rawEvents().get(0).getZxid());
        }
    }

    @BackendTest
    void dataWatchFiresNodeDeleted(String kind) throws Exception {
        try (ZkEnv env = ZkEnv.start(kind)) {
            ZkClient watcher = env.client();
            ZooKeeper writer = env.client().zk();
            writer.create("/w", null, OPEN, CreateMode.PERSISTENT);
            watcher.zk().getData("/w", true, null);
            watcher.zk().exists("/w", true);
            writer.delete("/w", -1);
            writer.create("/w", null, OPEN, CreateMode.PERSISTENT);
            watcher.log().awaitEvents(1);
            assertEquals(List.of("NodeDeleted /w"), watcher.settledEvents());
        }
    }

    @BackendTest
    void existWatchOnAMissingNodeFiresNodeCreatedOnce(String kind) throws Exception {
        try (ZkEnv env = ZkEnv.start(kind)) {
            ZkClient watcher = env.client();
            ZooKeeper writer = env.client().zk();
            assertNull(watcher.zk().exists("/n", true));
            Stat created = new Stat();
            writer.create("/n", null, OPEN, CreateMode.PERSISTENT, created);
            writer.setData("/n", null, -1);
            writer.delete("/n", -1);
            watcher.log().awaitEvents(1);
            assertEquals(List.of("NodeCreated /n"), watcher.settledEvents());
            assertEquals(created.getCzxid(), watcher.log().rawEvents().get(0).getZxid());
        }
    }

    @BackendTest
    void failedReadsRegisterNoWatch(String kind) throws Exception {
        try (ZkEnv env = ZkEnv.start(kind)) {
            ZkClient watcher = env.client();
            ZooKeeper writer = env.client().zk();
            assertFails(Code.NONODE, () -> watcher.zk().getData("/n", true, null));
            assertFails(Code.NONODE, () -> watcher.zk().getChildren("/n", true));
            writer.create("/n", null, OPEN, CreateMode.PERSISTENT);
            writer.create("/n/c", null, OPEN, CreateMode.PERSISTENT);
            writer.setData("/n", null, -1);
            assertEquals(List.of(), watcher.settledEvents());
        }
    }

    @BackendTest
    void childWatchFiresOnceForChildChangesButNotForData(String kind) throws Exception {
        try (ZkEnv env = ZkEnv.start(kind)) {
            ZkClient watcher = env.client();
            ZooKeeper writer = env.client().zk();
            writer.create("/p", null, OPEN, CreateMode.PERSISTENT);
            watcher.zk().getChildren("/p", true);
            writer.setData("/p", bytes("x"), -1);
            Stat c = new Stat();
            writer.create("/p/c", null, OPEN, CreateMode.PERSISTENT, c);
            writer.create("/p/d", null, OPEN, CreateMode.PERSISTENT);
            watcher.log().awaitEvents(1);
            assertEquals(List.of("NodeChildrenChanged /p"), watcher.settledEvents());
            assertEquals(c.getCzxid(), watcher.log().rawEvents().get(0).getZxid());

            watcher.zk().getChildren("/p", true, null);
            writer.delete("/p/c", -1);
            watcher.log().awaitEvents(2);
            assertEquals(List.of("NodeChildrenChanged /p", "NodeChildrenChanged /p"), watcher.settledEvents());

            // Grandchildren do not count.
            watcher.zk().getChildren("/p", true, null);
            writer.create("/p/d/g", null, OPEN, CreateMode.PERSISTENT);
            assertEquals(2, watcher.settledEvents().size());
        }
    }

    @BackendTest
    void childWatchFiresNodeDeletedWhenTheNodeGoes(String kind) throws Exception {
        try (ZkEnv env = ZkEnv.start(kind)) {
            ZkClient watcher = env.client();
            ZooKeeper writer = env.client().zk();
            writer.create("/p", null, OPEN, CreateMode.PERSISTENT);
            watcher.zk().getChildren("/p", true);
            writer.delete("/p", -1);
            watcher.log().awaitEvents(1);
            assertEquals(List.of("NodeDeleted /p"), watcher.settledEvents());
        }
    }

    @BackendTest
    void createFiresNodeCreatedThenParentNodeChildrenChanged(String kind) throws Exception {
        try (ZkEnv env = ZkEnv.start(kind)) {
            ZkClient watcher = env.client();
            ZooKeeper writer = env.client().zk();
            writer.create("/p", null, OPEN, CreateMode.PERSISTENT);
            watcher.zk().exists("/p/c", true);
            watcher.zk().getChildren("/p", true);
            Stat c = new Stat();
            writer.create("/p/c", null, OPEN, CreateMode.PERSISTENT, c);
            watcher.log().awaitEvents(2);
            assertEquals(List.of("NodeCreated /p/c", "NodeChildrenChanged /p"), watcher.settledEvents());
            watcher.log().rawEvents().forEach(e -> assertEquals(c.getCzxid(), e.getZxid()));
        }
    }

    @BackendTest
    void deleteFiresNodeDeletedThenParentNodeChildrenChanged(String kind) throws Exception {
        try (ZkEnv env = ZkEnv.start(kind)) {
            ZkClient watcher = env.client();
            ZooKeeper writer = env.client().zk();
            writer.create("/p", null, OPEN, CreateMode.PERSISTENT);
            writer.create("/p/c", null, OPEN, CreateMode.PERSISTENT);
            watcher.zk().getData("/p/c", true, null);
            watcher.zk().getChildren("/p/c", true);
            watcher.zk().getChildren("/p", true);
            writer.delete("/p/c", -1);
            watcher.log().awaitEvents(2);
            assertEquals(List.of("NodeDeleted /p/c", "NodeChildrenChanged /p"), watcher.settledEvents());
            assertEquals(watcher.log().rawEvents().get(0).getZxid(), watcher.log().rawEvents().get(1).getZxid());
        }
    }

    @BackendTest
    void setAclFiresNoWatch(String kind) throws Exception {
        try (ZkEnv env = ZkEnv.start(kind)) {
            ZkClient watcher = env.client();
            ZooKeeper writer = env.client().zk();
            writer.create("/a", null, OPEN, CreateMode.PERSISTENT);
            watcher.zk().getData("/a", true, null);
            watcher.zk().getChildren("/a", true);
            writer.setACL("/a", OPEN, -1);
            assertEquals(List.of(), watcher.settledEvents());
            writer.setData("/a", null, -1);
            watcher.log().awaitEvents(1);
            assertEquals(List.of("NodeDataChanged /a"), watcher.settledEvents());
        }
    }

    @BackendTest
    void everyWatchingConnectionGetsItsOwnEvent(String kind) throws Exception {
        try (ZkEnv env = ZkEnv.start(kind)) {
            ZkClient first = env.client();
            ZkClient second = env.client();
            ZooKeeper writer = env.client().zk();
            writer.create("/shared", null, OPEN, CreateMode.PERSISTENT);
            first.zk().getData("/shared", true, null);
            second.zk().exists("/shared", true);
            writer.setData("/shared", null, -1);
            first.log().awaitEvents(1);
            second.log().awaitEvents(1);
            assertEquals(List.of("NodeDataChanged /shared"), first.settledEvents());
            assertEquals(List.of("NodeDataChanged /shared"), second.settledEvents());
        }
    }

    @BackendTest
    void oneEventPerConnectionPerStepOnTheWire(String kind) throws Exception {
        try (ZkEnv env = ZkEnv.start(kind)) {
            RawClient raw = env.rawSession();
            ZooKeeper writer = env.client().zk();
            for (String path : List.of("/d", "/s", "/p", "/r", "/r/x")) {
                writer.create(path, null, OPEN, CreateMode.PERSISTENT);
            }
            // Data + exist + child watches on a node that is then deleted.
            raw.call(OpCode.GET_DATA, Jute.pathWatch("/d", true));
            raw.call(OpCode.EXISTS, Jute.pathWatch("/d", true));
            raw.call(OpCode.GET_CHILDREN, Jute.pathWatch("/d", true));
            // Data + exist watch on a node whose data changes.
            raw.call(OpCode.GET_DATA, Jute.pathWatch("/s", true));
            raw.call(OpCode.EXISTS, Jute.pathWatch("/s", true));
            // A persistent watch and a one-shot watch on the same node.
            raw.call(OpCode.ADD_WATCH, Jute.pathInt("/p", 0));
            raw.call(OpCode.GET_DATA, Jute.pathWatch("/p", true));
            // A recursive watch on an ancestor and an exist watch on the node itself.
            raw.call(OpCode.ADD_WATCH, Jute.pathInt("/r", 1));
            raw.call(OpCode.EXISTS, Jute.pathWatch("/r/new", true));
            raw.call(OpCode.GET_DATA, Jute.pathWatch("/r/x", true));

            writer.delete("/d", -1);
            writer.setData("/s", null, -1);
            writer.setData("/p", null, -1);
            writer.create("/r/new", null, OPEN, CreateMode.PERSISTENT);
            writer.setData("/r/x", null, -1);

            raw.send(RawReply.PING_XID, OpCode.PING, new byte[0]);
            List<String> events = new java.util.ArrayList<>();
            RawReply frame;
            while ((frame = raw.read()).isNotification()) {
                events.add(frame.event());
            }
            assertEquals(RawReply.PING_XID, frame.xid());
            assertEquals(List.of("NodeDeleted /d", "NodeDataChanged /s", "NodeDataChanged /p", "NodeCreated /r/new",
                    "NodeDataChanged /r/x"), events);
        }
    }

    @BackendTest
    void ownWriteTriggersTheEventBeforeItsReply(String kind) throws Exception {
        try (ZkEnv env = ZkEnv.start(kind)) {
            ZkClient client = env.client();
            client.zk().create("/w", null, OPEN, CreateMode.PERSISTENT);
            client.zk().getData("/w", true, null);
            AtomicBoolean replied = new AtomicBoolean();
            client.zk().setData("/w", bytes("v"), -1, (rc, path, ctx, stat) -> {
                client.log().mark("setData reply rc=" + rc);
                replied.set(true);
            }, null);
            org.awaitility.Awaitility.await().untilTrue(replied);
            assertEquals(List.of("NodeDataChanged /w", "setData reply rc=0"), client.log().timeline().stream()
                    .filter(s -> !s.startsWith("state")).toList());

            // The same on the wire, for a delete that fires two events.
            RawClient raw = env.rawSession();
            raw.call(OpCode.CREATE, Jute.create("/w/k", null, 0));
            raw.call(OpCode.EXISTS, Jute.pathWatch("/w/k", true));
            raw.call(OpCode.GET_CHILDREN, Jute.pathWatch("/w", true));
            int xid = raw.send(OpCode.DELETE, Jute.delete("/w/k", -1));
            RawReply first = raw.read();
            RawReply second = raw.read();
            RawReply reply = raw.read();
            assertEquals("NodeDeleted /w/k", first.event());
            assertEquals("NodeChildrenChanged /w", second.event());
            assertEquals(xid, reply.xid());
            assertEquals(reply.zxid(), first.zxid());
            assertEquals(reply.zxid(), second.zxid());
        }
    }

    @BackendTest
    void eventPrecedesTheReplyOfALaterReadOnTheWatchingConnection(String kind) throws Exception {
        try (ZkEnv env = ZkEnv.start(kind)) {
            RawClient watcher = env.rawSession();
            RawClient writer = env.rawSession();
            writer.call(OpCode.CREATE, Jute.create("/w", null, 0));
            watcher.call(OpCode.GET_DATA, Jute.pathWatch("/w", true));
            long zxid = writer.call(OpCode.SET_DATA, Jute.setData("/w", bytes("new"), -1)).zxid();
            int xid = watcher.send(OpCode.GET_DATA, Jute.pathWatch("/w", false));
            RawReply event = watcher.read();
            assertEquals("NodeDataChanged /w", event.event());
            assertEquals(zxid, event.zxid());
            RawReply reply = watcher.read();
            assertEquals(xid, reply.xid());
            org.junit.jupiter.api.Assertions.assertArrayEquals(bytes("new"), reply.reader().buf());
        }
    }

    @BackendTest
    void persistentWatchSeesAllChangesToItsNodeAndSurvivesDeletion(String kind) throws Exception {
        try (ZkEnv env = ZkEnv.start(kind)) {
            ZkClient watcher = env.client();
            ZooKeeper writer = env.client().zk();
            watcher.zk().addWatch("/pw", watcher.log(), AddWatchMode.PERSISTENT);
            writer.create("/pw", null, OPEN, CreateMode.PERSISTENT);
            writer.setData("/pw", bytes("1"), -1);
            writer.create("/pw/c", null, OPEN, CreateMode.PERSISTENT);
            writer.setData("/pw/c", bytes("1"), -1);   // not our node
            writer.create("/pw/c/d", null, OPEN, CreateMode.PERSISTENT); // grandchild
            writer.delete("/pw/c/d", -1);
            writer.delete("/pw/c", -1);
            writer.setACL("/pw", OPEN, -1);            // nothing
            writer.delete("/pw", -1);
            writer.create("/pw", null, OPEN, CreateMode.PERSISTENT);
            writer.setData("/pw", bytes("2"), -1);
            List<String> expected = List.of("NodeCreated /pw", "NodeDataChanged /pw", "NodeChildrenChanged /pw",
                    "NodeChildrenChanged /pw", "NodeDeleted /pw", "NodeCreated /pw", "NodeDataChanged /pw");
            watcher.log().awaitEvents(expected.size());
            assertEquals(expected, watcher.settledEvents());
        }
    }

    @BackendTest
    void recursiveWatchSeesTheSubtreeWithoutChildEventsAndSurvivesDeletion(String kind) throws Exception {
        try (ZkEnv env = ZkEnv.start(kind)) {
            ZkClient watcher = env.client();
            ZooKeeper writer = env.client().zk();
            watcher.zk().addWatch("/rw", watcher.log(), AddWatchMode.PERSISTENT_RECURSIVE);
            writer.create("/rw", null, OPEN, CreateMode.PERSISTENT);
            writer.create("/rw/a", null, OPEN, CreateMode.PERSISTENT);
            writer.create("/rw/a/b", null, OPEN, CreateMode.PERSISTENT);
            writer.setData("/rw/a/b", bytes("1"), -1);
            writer.create("/rwx", null, OPEN, CreateMode.PERSISTENT);   // a sibling sharing the prefix
            writer.setData("/rwx", null, -1);
            writer.delete("/rw/a/b", -1);
            writer.delete("/rw/a", -1);
            writer.delete("/rw", -1);
            writer.create("/rw", null, OPEN, CreateMode.EPHEMERAL);
            List<String> expected = List.of("NodeCreated /rw", "NodeCreated /rw/a", "NodeCreated /rw/a/b",
                    "NodeDataChanged /rw/a/b", "NodeDeleted /rw/a/b", "NodeDeleted /rw/a", "NodeDeleted /rw",
                    "NodeCreated /rw");
            watcher.log().awaitEvents(expected.size());
            assertEquals(expected, watcher.settledEvents());
        }
    }

    @BackendTest
    void removeWatchesStopsServerEventsAndTheClientReportsRemoval(String kind) throws Exception {
        try (ZkEnv env = ZkEnv.start(kind)) {
            ZkClient watcher = env.client();
            ZooKeeper writer = env.client().zk();
            writer.create("/x", null, OPEN, CreateMode.PERSISTENT);
            watcher.zk().getData("/x", watcher.log(), null);
            watcher.zk().removeWatches("/x", watcher.log(), WatcherType.Data, false);
            assertEquals(List.of("DataWatchRemoved /x"), watcher.settledEvents());
            writer.setData("/x", null, -1);
            assertEquals(List.of("DataWatchRemoved /x"), watcher.settledEvents());

            watcher.log().clear();
            watcher.zk().getData("/x", watcher.log(), null);
            watcher.zk().getChildren("/x", watcher.log());
            watcher.zk().addWatch("/x", watcher.log(), AddWatchMode.PERSISTENT);
            watcher.zk().removeAllWatches("/x", WatcherType.Any, false);
            assertEquals(Set.of("DataWatchRemoved /x", "ChildWatchRemoved /x", "PersistentWatchRemoved /x"),
                    Set.copyOf(watcher.settledEvents()));
            writer.setData("/x", null, -1);
            writer.create("/x/c", null, OPEN, CreateMode.PERSISTENT);
            assertEquals(3, watcher.settledEvents().size(), "no server events after removal: " + watcher.events());

            assertFails(Code.NOWATCHER, () -> watcher.zk().removeAllWatches("/x", WatcherType.Any, false));
            assertFails(Code.NOWATCHER, () -> watcher.zk().removeAllWatches("/none", WatcherType.Data, false));
        }
    }

    @BackendTest
    void checkAndRemoveWatchesPerTypeOnTheWire(String kind) throws Exception {
        try (ZkEnv env = ZkEnv.start(kind)) {
            ZooKeeper writer = env.client().zk();
            for (String path : List.of("/d", "/c")) {
                writer.create(path, null, OPEN, CreateMode.PERSISTENT);
            }
            RawClient raw = env.rawSession();
            raw.call(OpCode.GET_DATA, Jute.pathWatch("/d", true));
            raw.call(OpCode.GET_CHILDREN, Jute.pathWatch("/c", true));
            raw.call(OpCode.EXISTS, Jute.pathWatch("/e", true));
            raw.call(OpCode.ADD_WATCH, Jute.pathInt("/p", 0));
            raw.call(OpCode.ADD_WATCH, Jute.pathInt("/r", 1));
            int ok = Err.OK;
            int no = Err.NO_WATCHER;
            // type:          1 Children, 2 Data, 3 Any, 4 Persistent, 5 Recursive
            Object[][] table = {
                {"/d", new int[] {no, ok, ok, no, no}},
                {"/c", new int[] {ok, no, ok, no, no}},
                {"/e", new int[] {no, ok, ok, no, no}},
                {"/p", new int[] {no, no, ok, ok, no}},
                {"/r", new int[] {no, no, ok, no, ok}},
                {"/none", new int[] {no, no, no, no, no}},
            };
            for (Object[] row : table) {
                int[] expected = (int[]) row[1];
                for (int type = 1; type <= 5; type++) {
                    RawReply reply = raw.call(OpCode.CHECK_WATCHES, Jute.pathInt((String) row[0], type));
                    assertEquals(expected[type - 1], reply.err(), "checkWatches " + row[0] + " type " + type);
                    assertEquals(0, reply.body().length);
                }
            }
            for (int badType : new int[] {0, 6, 99, -1}) {
                assertEquals(Err.MARSHALLING_ERROR, raw.call(OpCode.CHECK_WATCHES, Jute.pathInt("/d", badType)).err());
                assertEquals(Err.MARSHALLING_ERROR, raw.call(OpCode.REMOVE_WATCHES, Jute.pathInt("/d", badType)).err());
            }
            // Watches are per connection: another connection sees none of them.
            RawClient other = env.rawSession();
            assertEquals(no, other.call(OpCode.CHECK_WATCHES, Jute.pathInt("/d", 3)).err());
            assertEquals(no, other.call(OpCode.REMOVE_WATCHES, Jute.pathInt("/d", 3)).err());

            assertEquals(no, raw.call(OpCode.REMOVE_WATCHES, Jute.pathInt("/d", 1)).err());
            assertEquals(ok, raw.call(OpCode.REMOVE_WATCHES, Jute.pathInt("/d", 2)).err());
            assertEquals(no, raw.call(OpCode.CHECK_WATCHES, Jute.pathInt("/d", 3)).err());
            assertEquals(ok, raw.call(OpCode.REMOVE_WATCHES, Jute.pathInt("/p", 3)).err());
            assertEquals(no, raw.call(OpCode.CHECK_WATCHES, Jute.pathInt("/p", 4)).err());
            assertEquals(ok, raw.call(OpCode.REMOVE_WATCHES, Jute.pathInt("/r", 5)).err());
            assertEquals(ok, raw.call(OpCode.REMOVE_WATCHES, Jute.pathInt("/c", 1)).err());
            // The removed watches send nothing; the exist watch on /e still fires.
            writer.setData("/d", null, -1);
            writer.create("/p", null, OPEN, CreateMode.PERSISTENT);
            writer.create("/r", null, OPEN, CreateMode.PERSISTENT);
            writer.create("/c/k", null, OPEN, CreateMode.PERSISTENT);
            writer.create("/e", null, OPEN, CreateMode.PERSISTENT);
            RawReply event = raw.read();
            assertEquals("NodeCreated /e", event.event());
            raw.send(RawReply.PING_XID, OpCode.PING, new byte[0]);
            assertEquals(RawReply.PING_XID, raw.read().xid());
        }
    }

    @BackendTest
    void addWatchWithAnInvalidModeIsAMarshallingError(String kind) {
        try (ZkEnv env = ZkEnv.start(kind)) {
            RawClient raw = env.rawSession();
            for (int mode : new int[] {2, -1, 99}) {
                RawReply reply = raw.call(OpCode.ADD_WATCH, Jute.pathInt("/x", mode));
                assertEquals(Err.MARSHALLING_ERROR, reply.err(), "mode " + mode);
                assertEquals(0, reply.body().length);
            }
            assertEquals(Err.NO_WATCHER, raw.call(OpCode.CHECK_WATCHES, Jute.pathInt("/x", 3)).err());
            assertEquals(0, raw.ping().err());
        }
    }
}
