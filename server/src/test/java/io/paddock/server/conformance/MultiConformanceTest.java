package io.paddock.server.conformance;

import static io.paddock.server.conformance.Keeper.OPEN;
import static io.paddock.server.conformance.Keeper.assertFails;
import static io.paddock.server.conformance.Keeper.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.OpResult.CheckResult;
import org.apache.zookeeper.OpResult.CreateResult;
import org.apache.zookeeper.OpResult.DeleteResult;
import org.apache.zookeeper.OpResult.ErrorResult;
import org.apache.zookeeper.OpResult.GetChildrenResult;
import org.apache.zookeeper.OpResult.GetDataResult;
import org.apache.zookeeper.OpResult.SetDataResult;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Timeout;

/** multi (atomic writes) and multiRead (independent reads): results, zxids, failures, encodings. */
@Timeout(60)
class MultiConformanceTest {

    private static void setUp(ZooKeeper zk) throws Exception {
        zk.create("/m", null, OPEN, CreateMode.PERSISTENT);
        zk.create("/m/a", bytes("a"), OPEN, CreateMode.PERSISTENT);
        zk.create("/m/b", null, OPEN, CreateMode.PERSISTENT);
    }

    @BackendTest
    void successfulMultiReturnsTypedResultsSharingOneZxid(String kind) throws Exception {
        try (ZkEnv env = ZkEnv.start(kind)) {
            ZooKeeper zk = env.client().zk();
            setUp(zk);
            List<OpResult> results = zk.multi(List.of(
                    Op.create("/m/new", bytes("n"), OPEN, CreateMode.PERSISTENT),
                    Op.create("/m/cont", null, OPEN, CreateMode.CONTAINER),
                    Op.setData("/m/a", bytes("a2"), 0),
                    Op.check("/m/a", 1),
                    Op.delete("/m/b", 0),
                    Op.create("/m/s-", null, OPEN, CreateMode.PERSISTENT_SEQUENTIAL),
                    Op.create("/m/s-", null, OPEN, CreateMode.EPHEMERAL_SEQUENTIAL)));
            assertEquals(List.of(1, 15, 5, 13, 2, 1, 1), results.stream().map(OpResult::getType).toList());
            assertEquals("/m/new", ((CreateResult) results.get(0)).getPath());
            assertNull(((CreateResult) results.get(0)).getStat());
            CreateResult container = (CreateResult) results.get(1);
            assertEquals("/m/cont", container.getPath());
            Stat setData = ((SetDataResult) results.get(2)).getStat();
            assertInstanceOf(CheckResult.class, results.get(3));
            assertInstanceOf(DeleteResult.class, results.get(4));
            // /m had C=2 (a, b); new and cont take 2 and 3.
            assertEquals("/m/s-0000000004", ((CreateResult) results.get(5)).getPath());
            assertEquals("/m/s-0000000005", ((CreateResult) results.get(6)).getPath());

            long zxid = container.getStat().getCzxid();
            assertEquals(0L, container.getStat().getEphemeralOwner());
            assertEquals(zxid, setData.getMzxid());
            assertEquals(1, setData.getVersion());
            assertEquals(2, setData.getDataLength());
            Stat created = zk.exists("/m/new", false);
            assertEquals(zxid, created.getCzxid());
            assertEquals(container.getStat().getCtime(), created.getCtime(), "one timestamp per multi");
            assertEquals(container.getStat().getCtime(), setData.getMtime());
            Stat parent = zk.exists("/m", false);
            assertEquals(zxid, parent.getPzxid());
            assertEquals(5, parent.getNumChildren(), "a, new, cont and two sequential children; b deleted");
            assertEquals(2 * 6 - 5, parent.getCversion(), "6 creates ever, 5 children now");
        }
    }

    @BackendTest
    void failureInTheMiddleAppliesNothingAndReportsZeroCodeMinusTwo(String kind) throws Exception {
        try (ZkEnv env = ZkEnv.start(kind)) {
            ZooKeeper zk = env.client().zk();
            setUp(zk);
            Stat parentBefore = zk.exists("/m", false);
            KeeperException e = assertFails(Code.BADVERSION, () -> zk.multi(List.of(
                    Op.create("/m/x", null, OPEN, CreateMode.PERSISTENT),
                    Op.check("/m/a", 99),
                    Op.setData("/m/a", bytes("changed"), -1))));
            assertErrors(List.of(0, Err.BAD_VERSION, Err.RUNTIME_INCONSISTENCY), e.getResults());
            assertNull(zk.exists("/m/x", false));
            assertArrayEquals(bytes("a"), zk.getData("/m/a", false, null));
            Stat parentAfter = zk.exists("/m", false);
            Keeper.assertStat(parentBefore, parentAfter);
            // The sequential counter did not move either.
            assertEquals("/m/s-0000000002", zk.create("/m/s-", null, OPEN, CreateMode.PERSISTENT_SEQUENTIAL));
        }
    }

    @BackendTest
    void failureCodesPerFailingOp(String kind) throws Exception {
        try (ZkEnv env = ZkEnv.start(kind)) {
            ZooKeeper zk = env.client().zk();
            setUp(zk);
            zk.create("/m/eph", null, OPEN, CreateMode.EPHEMERAL);
            Object[][] cases = {
                {List.of(Op.delete("/missing", -1), Op.create("/m/y", null, OPEN, CreateMode.PERSISTENT)),
                    Code.NONODE, List.of(Err.NO_NODE, Err.RUNTIME_INCONSISTENCY)},
                {List.of(Op.create("/m/y", null, OPEN, CreateMode.PERSISTENT), Op.create("/m/y", null, OPEN, CreateMode.PERSISTENT)),
                    Code.NODEEXISTS, List.of(0, Err.NODE_EXISTS)},
                {List.of(Op.create("/m/y", null, OPEN, CreateMode.PERSISTENT), Op.create("/m/eph/c", null, OPEN, CreateMode.PERSISTENT)),
                    Code.NOCHILDRENFOREPHEMERALS, List.of(0, Err.NO_CHILDREN_FOR_EPHEMERALS)},
                {List.of(Op.check("/m/a", 0), Op.delete("/m", -1), Op.check("/m/a", 0)),
                    Code.NOTEMPTY, List.of(0, Err.NOT_EMPTY, Err.RUNTIME_INCONSISTENCY)},
                {List.of(Op.create("/m/y", null, OPEN, CreateMode.PERSISTENT), Op.delete("/m/y", 0), Op.delete("/m/y", 0)),
                    Code.NONODE, List.of(0, 0, Err.NO_NODE)},
                {List.of(Op.setData("/m/a", null, 0), Op.setData("/m/a", null, 0)),
                    Code.BADVERSION, List.of(0, Err.BAD_VERSION)},
                {List.of(Op.check("/nope", -1)), Code.NONODE, List.of(Err.NO_NODE)},
            };
            for (Object[] c : cases) {
                @SuppressWarnings("unchecked")
                List<Op> ops = (List<Op>) c[0];
                KeeperException e = assertFails((Code) c[1], () -> zk.multi(ops));
                @SuppressWarnings("unchecked")
                List<Integer> expected = (List<Integer>) c[2];
                assertErrors(expected, e.getResults());
            }
            assertNull(zk.exists("/m/y", false));
            assertEquals(0, zk.exists("/m/a", false).getVersion());
        }
    }

    private static void assertErrors(List<Integer> expected, List<OpResult> results) {
        List<Integer> codes = new ArrayList<>();
        for (OpResult r : results) {
            assertEquals(-1, r.getType(), "every result of a failed multi is an error result");
            codes.add(((ErrorResult) r).getErr());
        }
        assertEquals(expected, codes);
    }

    @BackendTest
    void multiFiresWatchesPerSubOpInOrderWithTheMultiZxid(String kind) throws Exception {
        try (ZkEnv env = ZkEnv.start(kind)) {
            ZkClient writer = env.client();
            setUp(writer.zk());
            ZkClient watcher = env.client();
            watcher.zk().exists("/m/new", true);
            watcher.zk().getChildren("/m", true);
            watcher.zk().getData("/m/a", true, null);
            watcher.zk().exists("/m/b", true);

            // A failed multi fires nothing.
            assertFails(Code.NONODE, () -> writer.zk().multi(List.of(
                    Op.create("/m/new", null, OPEN, CreateMode.PERSISTENT), Op.delete("/nope", -1))));

            List<OpResult> results = writer.zk().multi(List.of(
                    Op.create("/m/new", null, OPEN, CreateMode.CONTAINER),
                    Op.setData("/m/a", null, -1),
                    Op.delete("/m/b", -1)));
            long zxid = ((CreateResult) results.get(0)).getStat().getCzxid();
            watcher.log().awaitEvents(4);
            assertEquals(List.of("NodeCreated /m/new", "NodeChildrenChanged /m", "NodeDataChanged /m/a", "NodeDeleted /m/b"),
                    watcher.settledEvents());
            for (WatchedEvent event : watcher.log().rawEvents()) {
                assertEquals(zxid, event.getZxid(), event.toString());
            }
        }
    }

    @BackendTest
    void multiReadReturnsPerOpResultsAndErrors(String kind) throws Exception {
        try (ZkEnv env = ZkEnv.start(kind)) {
            ZooKeeper zk = env.client().zk();
            setUp(zk);
            List<OpResult> results = zk.multi(List.of(
                    Op.getData("/m/a"), Op.getChildren("/m"), Op.getData("/missing"), Op.getChildren("/missing"),
                    Op.getData("/m/b")));
            assertEquals(List.of(4, 8, -1, -1, 4), results.stream().map(OpResult::getType).toList());
            GetDataResult a = (GetDataResult) results.get(0);
            assertArrayEquals(bytes("a"), a.getData());
            Keeper.assertStat(zk.exists("/m/a", false), a.getStat());
            assertEquals(Set.of("a", "b"), Set.copyOf(((GetChildrenResult) results.get(1)).getChildren()));
            assertEquals(Err.NO_NODE, ((ErrorResult) results.get(2)).getErr());
            assertEquals(Err.NO_NODE, ((ErrorResult) results.get(3)).getErr());
            assertNull(((GetDataResult) results.get(4)).getData());
        }
    }

    // ---- raw encodings ----

    private static Jute header(Jute body, int type, boolean done, int err) {
        return body.i32(type).bool(done).i32(err);
    }

    private static byte[] terminated(Jute body) {
        return header(body, -1, true, -1).bytes();
    }

    @BackendTest
    void failedMultiEncodingOnTheWire(String kind) throws Exception {
        try (ZkEnv env = ZkEnv.start(kind)) {
            setUp(env.client().zk());
            RawClient raw = env.rawSession();
            raw.call(OpCode.SET_DATA, Jute.setData("/m/a", null, -1)); // version 1
            Jute body = Jute.body();
            header(body, OpCode.CREATE, false, -1).raw(Jute.create("/m/c", null, 0));
            header(body, OpCode.CHECK, false, -1).raw(Jute.pathInt("/m/a", 99));
            header(body, OpCode.SET_DATA, false, -1).raw(Jute.setData("/m/a", null, -1));
            RawReply reply = raw.call(OpCode.MULTI, terminated(body));
            assertEquals(0, reply.err(), "the header err of a failed multi is 0");
            Jute expected = Jute.body();
            header(expected, -1, false, 0).i32(0);
            header(expected, -1, false, Err.BAD_VERSION).i32(Err.BAD_VERSION);
            header(expected, -1, false, Err.RUNTIME_INCONSISTENCY).i32(Err.RUNTIME_INCONSISTENCY);
            header(expected, -1, true, -1);
            assertArrayEquals(expected.bytes(), reply.body());
        }
    }

    @BackendTest
    void successfulMultiEncodingOnTheWire(String kind) throws Exception {
        try (ZkEnv env = ZkEnv.start(kind)) {
            setUp(env.client().zk());
            RawClient raw = env.rawSession();
            Jute body = Jute.body();
            header(body, OpCode.CREATE, false, -1).raw(Jute.create("/m/c1", null, 0));
            header(body, OpCode.CREATE2, false, -1).raw(Jute.create("/m/c2", null, 0));
            header(body, OpCode.CHECK, false, -1).raw(Jute.pathInt("/m/a", 0));
            header(body, OpCode.SET_DATA, false, -1).raw(Jute.setData("/m/a", bytes("z"), 0));
            header(body, OpCode.DELETE, false, -1).raw(Jute.delete("/m/b", 0));
            RawReply reply = raw.call(OpCode.MULTI, terminated(body));
            assertEquals(0, reply.err());
            JuteReader in = reply.reader();
            assertHeader(in, OpCode.CREATE, false, 0);
            assertEquals("/m/c1", in.str());
            assertHeader(in, OpCode.CREATE2, false, 0);
            assertEquals("/m/c2", in.str());
            RawStat c2 = in.stat();
            assertEquals(reply.zxid(), c2.czxid());
            assertHeader(in, OpCode.CHECK, false, 0);
            assertHeader(in, OpCode.SET_DATA, false, 0);
            RawStat a = in.stat();
            assertEquals(reply.zxid(), a.mzxid());
            assertEquals(1, a.version());
            assertHeader(in, OpCode.DELETE, false, 0);
            assertHeader(in, -1, true, -1);
            assertEquals(0, in.remaining());
        }
    }

    private static void assertHeader(JuteReader in, int type, boolean done, int err) {
        assertEquals(type, in.i32(), "result type");
        assertEquals(done, in.bool(), "done");
        assertEquals(err, in.i32(), "err");
    }

    @BackendTest
    void emptyMultiAndMultiReadAnswerTheTerminatorOnly(String kind) {
        try (ZkEnv env = ZkEnv.start(kind)) {
            RawClient raw = env.rawSession();
            byte[] terminator = terminated(Jute.body());
            for (int op : new int[] {OpCode.MULTI, OpCode.MULTI_READ}) {
                RawReply reply = raw.call(op, terminator);
                assertEquals(0, reply.err());
                assertArrayEquals(terminator, reply.body(), "opcode " + op);
            }
        }
    }

    @BackendTest
    void invalidSubOperationsMakeTheWholeRequestAMarshallingError(String kind) throws Exception {
        try (ZkEnv env = ZkEnv.start(kind)) {
            setUp(env.client().zk());
            RawClient raw = env.rawSession();
            Object[][] cases = {
                {OpCode.MULTI, OpCode.GET_DATA, Jute.pathWatch("/m/a", false)},
                {OpCode.MULTI, OpCode.EXISTS, Jute.pathWatch("/m/a", false)},
                {OpCode.MULTI, OpCode.CREATE, Jute.create("/m/bad", null, 7)},
                {OpCode.MULTI, OpCode.CREATE, Jute.create("/m/bad", null, 5)},
                {OpCode.MULTI_READ, OpCode.CREATE, Jute.create("/m/bad", null, 0)},
                {OpCode.MULTI_READ, OpCode.EXISTS, Jute.pathWatch("/m/a", false)},
            };
            for (Object[] c : cases) {
                Jute body = Jute.body();
                header(body, OpCode.CREATE, false, -1).raw(Jute.create("/m/first", null, 0));
                if ((int) c[0] == OpCode.MULTI_READ) {
                    body = Jute.body();
                    header(body, OpCode.GET_DATA, false, -1).raw(Jute.pathWatch("/m/a", false));
                }
                header(body, (int) c[1], false, -1).raw((byte[]) c[2]);
                RawReply reply = raw.call((int) c[0], terminated(body));
                assertEquals(Err.MARSHALLING_ERROR, reply.err(), "op " + c[0] + " with sub-op " + c[1]);
                assertEquals(0, reply.body().length);
            }
            assertEquals(Err.NO_NODE, raw.call(OpCode.EXISTS, Jute.pathWatch("/m/first", false)).err());
            assertEquals(Err.NO_NODE, raw.call(OpCode.EXISTS, Jute.pathWatch("/m/bad", false)).err());
            assertEquals(0, raw.ping().err());
        }
    }

    @BackendTest
    void multiReadIgnoresWatchFlagsAndConsumesNoZxid(String kind) throws Exception {
        try (ZkEnv env = ZkEnv.start(kind)) {
            ZooKeeper zk = env.client().zk();
            setUp(zk);
            RawClient raw = env.rawSession();
            long zxid = raw.call(OpCode.SET_DATA, Jute.setData("/m/b", null, -1)).zxid();
            Jute body = Jute.body();
            header(body, OpCode.GET_DATA, false, -1).raw(Jute.pathWatch("/m/a", true));
            header(body, OpCode.GET_CHILDREN, false, -1).raw(Jute.pathWatch("/m", true));
            header(body, OpCode.GET_DATA, false, -1).raw(Jute.pathWatch("/nope", true));
            RawReply reply = raw.call(OpCode.MULTI_READ, terminated(body));
            assertEquals(0, reply.err());
            assertEquals(zxid, reply.zxid());
            JuteReader in = reply.reader();
            assertHeader(in, OpCode.GET_DATA, false, 0);
            assertArrayEquals(bytes("a"), in.buf());
            assertEquals(1, in.stat().dataLength());
            assertHeader(in, OpCode.GET_CHILDREN, false, 0);
            assertEquals(Set.of("a", "b"), Set.copyOf(in.strings()));
            assertHeader(in, -1, false, Err.NO_NODE);
            assertEquals(Err.NO_NODE, in.i32());
            assertHeader(in, -1, true, -1);
            assertEquals(0, in.remaining());

            zk.setData("/m/a", null, -1);
            zk.create("/m/new", null, OPEN, CreateMode.PERSISTENT);
            zk.create("/nope", null, OPEN, CreateMode.PERSISTENT);
            // No watch was registered: the next frame is the ping reply, not a notification.
            raw.send(RawReply.PING_XID, OpCode.PING, new byte[0]);
            assertEquals(RawReply.PING_XID, raw.read().xid());
        }
    }
}
