package io.paddock.server.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Timeout;

/** Byte-level checks with hand-built frames: handshake, headers, xids, reply layouts, connection fate. */
@Timeout(60)
class RawProtocolConformanceTest {

    @BackendTest
    void handshakeWithReadOnlyByteGets37ByteResponseWith16BytePassword(String kind) {
        try (ZkEnv env = ZkEnv.start(kind)) {
            RawClient raw = env.raw();
            byte[] request = RawClient.connectRequest(0, 30_000, 0, new byte[16], true);
            assertEquals(45, request.length);
            raw.writeFrame(request);
            byte[] frame = raw.readFrame();
            assertEquals(37, frame.length);
            ConnectResponse r = ConnectResponse.parse(frame);
            assertEquals(0, r.protocolVersion());
            assertEquals(30_000, r.timeOut());
            assertNotEquals(0L, r.sessionId());
            assertEquals(16, r.passwd().length);
            assertEquals(Boolean.FALSE, r.readOnly());
        }
    }

    @BackendTest
    void handshakeWithoutReadOnlyByteGets36ByteResponse(String kind) {
        try (ZkEnv env = ZkEnv.start(kind)) {
            RawClient raw = env.raw();
            byte[] request = RawClient.connectRequest(0, 30_000, 0, new byte[16], false);
            assertEquals(44, request.length);
            raw.writeFrame(request);
            byte[] frame = raw.readFrame();
            assertEquals(36, frame.length);
            ConnectResponse r = ConnectResponse.parse(frame);
            assertNull(r.readOnly());
            assertEquals(16, r.passwd().length);
            assertNotEquals(0L, r.sessionId());
            // The session is usable.
            assertEquals(0, raw.call(OpCode.EXISTS, Jute.pathWatch("/", false)).err());
        }
    }

    @BackendTest
    void twoSessionsGetDistinctIdsAndPasswords(String kind) {
        try (ZkEnv env = ZkEnv.start(kind)) {
            RawClient a = env.rawSession();
            RawClient b = env.rawSession();
            assertNotEquals(a.sessionId(), b.sessionId());
            assertTrue(!java.util.Arrays.equals(a.password(), b.password()));
        }
    }

    @BackendTest
    void reattachWithPasswordKeepsIdPasswordAndNegotiatesNewTimeout(String kind) {
        try (ZkEnv env = ZkEnv.start(kind)) {
            RawClient first = env.rawSession(30_000);
            long id = first.sessionId();
            byte[] pw = first.password();
            long zxid = first.call(OpCode.CREATE, Jute.create("/e", null, 1)).zxid();
            first.close();

            RawClient second = env.raw();
            ConnectResponse r = second.connect(zxid, 20_000, id, pw, true);
            assertEquals(37, r.bodyLength());
            assertEquals(id, r.sessionId());
            assertArrayEquals(pw, r.passwd());
            assertEquals(20_000, r.timeOut());
            RawReply exists = second.call(OpCode.EXISTS, Jute.pathWatch("/e", false));
            assertEquals(0, exists.err());
            assertEquals(id, exists.reader().stat().ephemeralOwner());
        }
    }

    @BackendTest
    void reattachWithWrongPasswordGetsInvalidSessionResponseThenClose(String kind) {
        try (ZkEnv env = ZkEnv.start(kind)) {
            RawClient first = env.rawSession();
            long id = first.sessionId();
            byte[] wrong = first.password().clone();
            wrong[0] ^= 0x55;
            first.close();

            RawClient second = env.raw();
            ConnectResponse r = second.connect(0, 30_000, id, wrong, true);
            assertInvalidSession(r);
            second.assertClosedByServer();
        }
    }

    @BackendTest
    void reattachAfterCloseSessionGetsInvalidSessionResponseThenClose(String kind) {
        try (ZkEnv env = ZkEnv.start(kind)) {
            RawClient first = env.rawSession();
            long id = first.sessionId();
            byte[] pw = first.password();
            RawReply close = first.call(OpCode.CLOSE_SESSION, new byte[0]);
            assertEquals(0, close.err());
            assertEquals(0, close.body().length);
            first.assertClosedByServer();

            RawClient second = env.raw();
            assertInvalidSession(second.connect(0, 30_000, id, pw, true));
            second.assertClosedByServer();
        }
    }

    static void assertInvalidSession(ConnectResponse r) {
        assertEquals(37, r.bodyLength());
        assertEquals(0, r.protocolVersion());
        assertEquals(0, r.timeOut());
        assertEquals(0L, r.sessionId());
        assertArrayEquals(new byte[16], r.passwd());
    }

    @BackendTest
    void handshakeWithLastZxidAheadOfServerIsClosedWithoutReply(String kind) {
        try (ZkEnv env = ZkEnv.start(kind)) {
            RawClient raw = env.raw();
            raw.writeFrame(RawClient.connectRequest(1L << 40, 30_000, 0, new byte[16], true));
            raw.assertClosedByServer();
            env.assertServing();
        }
    }

    @BackendTest
    void replyEchoesArbitraryXids(String kind) {
        try (ZkEnv env = ZkEnv.start(kind)) {
            RawClient raw = env.rawSession();
            for (int xid : new int[] {12345, Integer.MAX_VALUE, -8, 7}) {
                raw.send(xid, OpCode.EXISTS, Jute.pathWatch("/", false));
                RawReply reply = raw.read();
                assertEquals(xid, reply.xid());
                assertEquals(0, reply.err());
                assertEquals(68, reply.body().length);
            }
        }
    }

    @BackendTest
    void pingIsAnsweredWithXidMinusTwoAndTheLastZxid(String kind) {
        try (ZkEnv env = ZkEnv.start(kind)) {
            RawClient raw = env.rawSession();
            long zxid = raw.call(OpCode.CREATE, Jute.create("/p", null, 0)).zxid();
            raw.send(77, OpCode.PING, new byte[0]);
            RawReply pong = raw.read();
            assertEquals(-2, pong.xid());
            assertEquals(zxid, pong.zxid());
            assertEquals(0, pong.err());
            assertEquals(0, pong.body().length);
        }
    }

    @BackendTest
    void pipelinedRequestsAreAnsweredInOrder(String kind) {
        try (ZkEnv env = ZkEnv.start(kind)) {
            RawClient raw = env.rawSession();
            List<byte[]> frames = new ArrayList<>();
            List<int[]> expected = new ArrayList<>(); // {xid, err}
            int xid = 100;
            Object[][] plan = {
                {OpCode.CREATE, Jute.create("/p", Jute.utf8("x"), 0), Err.OK},
                {OpCode.GET_DATA, Jute.pathWatch("/p", false), Err.OK},
                {OpCode.SET_DATA, Jute.setData("/p", Jute.utf8("y"), 0), Err.OK},
                {OpCode.EXISTS, Jute.pathWatch("/missing", false), Err.NO_NODE},
                {OpCode.CREATE, Jute.create("/p/a", null, 0), Err.OK},
                {OpCode.GET_CHILDREN, Jute.pathWatch("/p", false), Err.OK},
                {OpCode.SET_DATA, Jute.setData("/p", Jute.utf8("z"), 0), Err.BAD_VERSION},
                {OpCode.DELETE, Jute.delete("/p/a", -1), Err.OK},
                {OpCode.SYNC, Jute.path("/p"), Err.OK},
                {OpCode.GET_DATA, Jute.pathWatch("/p", false), Err.OK},
                {OpCode.CREATE, Jute.create("/p", null, 0), Err.NODE_EXISTS},
                {OpCode.GET_ALL_CHILDREN_NUMBER, Jute.path("/p"), Err.OK},
            };
            for (Object[] step : plan) {
                byte[] payload = Jute.body().i32(xid).i32((int) step[0]).raw((byte[]) step[1]).bytes();
                frames.add(Jute.body().i32(payload.length).raw(payload).bytes());
                expected.add(new int[] {xid, (int) step[2]});
                xid += 3;
            }
            Jute all = Jute.body();
            frames.forEach(all::raw);
            raw.writeRaw(all.bytes());
            long lastZxid = 0;
            for (int[] e : expected) {
                RawReply reply = raw.read();
                assertEquals(e[0], reply.xid(), "reply order");
                assertEquals(e[1], reply.err(), "err for xid " + e[0]);
                assertTrue(reply.zxid() >= lastZxid, "zxids never go backwards");
                lastZxid = reply.zxid();
            }
            // The last getData sees the second setData's value.
            raw.send(1, OpCode.GET_DATA, Jute.pathWatch("/p", false));
            assertArrayEquals(Jute.utf8("y"), raw.read().reader().buf());
        }
    }

    @BackendTest
    void addWatchReplyCarriesFourZeroBytes(String kind) {
        try (ZkEnv env = ZkEnv.start(kind)) {
            RawClient raw = env.rawSession();
            for (int mode : new int[] {0, 1}) {
                RawReply reply = raw.call(OpCode.ADD_WATCH, Jute.pathInt("/nowhere", mode));
                assertEquals(0, reply.err());
                assertArrayEquals(new byte[4], reply.body());
            }
        }
    }

    @BackendTest
    void unknownOpcodesGetUnimplementedWithZxidMinusOneThenClose(String kind) {
        try (ZkEnv env = ZkEnv.start(kind)) {
            Object[][] cases = {
                {99, new byte[0]},
                {OpCode.NOTIFICATION, new byte[0]},
                {OpCode.CHECK, Jute.pathInt("/", -1)},
            };
            for (Object[] c : cases) {
                RawClient raw = env.rawSession();
                long id = raw.sessionId();
                byte[] pw = raw.password();
                raw.send(5, (int) c[0], (byte[]) c[1]);
                RawReply reply = raw.read();
                assertEquals(5, reply.xid(), "opcode " + c[0]);
                assertEquals(-1L, reply.zxid(), "opcode " + c[0]);
                assertEquals(Err.UNIMPLEMENTED, reply.err(), "opcode " + c[0]);
                assertEquals(0, reply.body().length);
                raw.assertClosedByServer();

                // The session itself survives the closed connection.
                RawClient again = env.raw();
                ConnectResponse r = again.connect(0, 30_000, id, pw, true);
                assertEquals(id, r.sessionId(), "session survives opcode " + c[0]);
                assertEquals(0, again.ping().err());
            }
        }
    }

    @BackendTest
    void malformedBodyGetsMarshallingErrorAndConnectionStaysOpen(String kind) {
        try (ZkEnv env = ZkEnv.start(kind)) {
            RawClient raw = env.rawSession();
            byte[][] bodies = {
                Jute.body().i32(1000).raw(Jute.utf8("/ab")).bytes(),   // string longer than the frame
                Jute.body().str("/a").bytes(),                          // getData without its watch flag
                new byte[0],                                            // no body at all
            };
            for (byte[] body : bodies) {
                RawReply reply = raw.call(OpCode.GET_DATA, body);
                assertEquals(Err.MARSHALLING_ERROR, reply.err());
                assertEquals(0, reply.body().length);
            }
            RawReply write = raw.call(OpCode.CREATE, Jute.body().str("/a").i32(5).bytes());
            assertEquals(Err.MARSHALLING_ERROR, write.err());
            assertEquals(0, raw.ping().err());
            assertEquals(0, raw.call(OpCode.CREATE, Jute.create("/a", null, 0)).err());
        }
    }

    @BackendTest
    void createReplyLayoutsPerOpcode(String kind) {
        try (ZkEnv env = ZkEnv.start(kind)) {
            RawClient raw = env.rawSession();
            RawReply create = raw.call(OpCode.CREATE, Jute.create("/c1", Jute.utf8("abc"), 0));
            assertEquals(0, create.err());
            JuteReader in = create.reader();
            assertEquals("/c1", in.str());
            assertEquals(0, in.remaining(), "create (1) answers the path only");

            RawReply create2 = raw.call(OpCode.CREATE2, Jute.create("/c2", Jute.utf8("abc"), 0));
            in = create2.reader();
            assertEquals("/c2", in.str());
            RawStat stat = in.stat();
            assertEquals(0, in.remaining());
            assertEquals(create2.zxid(), stat.czxid());
            assertEquals(create2.zxid(), stat.mzxid());
            assertEquals(create2.zxid(), stat.pzxid());
            assertEquals(3, stat.dataLength());
            assertEquals(0, stat.version());
            assertEquals(0L, stat.ephemeralOwner());

            RawReply container = raw.call(OpCode.CREATE_CONTAINER, Jute.create("/c3", null, 4));
            in = container.reader();
            assertEquals("/c3", in.str());
            RawStat cstat = in.stat();
            assertEquals(0, in.remaining());
            assertEquals(container.zxid(), cstat.czxid());
            assertEquals(0L, cstat.ephemeralOwner());

            RawReply ephemeral = raw.call(OpCode.CREATE2, Jute.create("/c4", null, 1));
            in = ephemeral.reader();
            assertEquals("/c4", in.str());
            assertEquals(raw.sessionId(), in.stat().ephemeralOwner());
        }
    }

    @BackendTest
    void headerOnlyReplies(String kind) {
        try (ZkEnv env = ZkEnv.start(kind)) {
            RawClient raw = env.rawSession();
            raw.call(OpCode.CREATE, Jute.create("/h", null, 0));
            raw.call(OpCode.GET_DATA, Jute.pathWatch("/h", true));
            assertHeaderOnly(raw.call(OpCode.CHECK_WATCHES, Jute.pathInt("/h", 2)), Err.OK);
            assertHeaderOnly(raw.call(OpCode.REMOVE_WATCHES, Jute.pathInt("/h", 2)), Err.OK);
            assertHeaderOnly(raw.call(OpCode.DELETE, Jute.delete("/h", 0)), Err.OK);
            // Error replies carry no body.
            assertHeaderOnly(raw.call(OpCode.GET_DATA, Jute.pathWatch("/h", false)), Err.NO_NODE);
            assertHeaderOnly(raw.call(OpCode.CREATE2, Jute.create("/x/y", null, 0)), Err.NO_NODE);
            assertHeaderOnly(raw.call(OpCode.SET_DATA, Jute.setData("/h", null, -1)), Err.NO_NODE);
            assertHeaderOnly(raw.call(OpCode.GET_ACL, Jute.path("/h")), Err.NO_NODE);
            assertHeaderOnly(raw.call(OpCode.GET_CHILDREN2, Jute.pathWatch("/h", false)), Err.NO_NODE);
            assertHeaderOnly(raw.call(OpCode.CREATE, Jute.create("/zookeeper", null, 0)), Err.NODE_EXISTS);
            assertHeaderOnly(raw.call(OpCode.SET_WATCHES,
                    Jute.body().i64(0).i32(0).i32(0).i32(0).bytes()), Err.OK);
        }
    }

    private static void assertHeaderOnly(RawReply reply, int err) {
        assertEquals(err, reply.err(), reply.toString());
        assertEquals(0, reply.body().length, "header-only reply expected: " + reply);
    }

    @BackendTest
    void nullAndEmptyDataAreDistinctOnTheWire(String kind) {
        try (ZkEnv env = ZkEnv.start(kind)) {
            RawClient raw = env.rawSession();
            raw.call(OpCode.CREATE, Jute.create("/null", null, 0));
            raw.call(OpCode.CREATE, Jute.create("/empty", new byte[0], 0));

            JuteReader in = raw.call(OpCode.GET_DATA, Jute.pathWatch("/null", false)).reader();
            assertEquals(-1, in.i32(), "null data is sent as length -1");
            assertEquals(0, in.stat().dataLength());

            in = raw.call(OpCode.GET_DATA, Jute.pathWatch("/empty", false)).reader();
            assertEquals(0, in.i32(), "empty data is sent as length 0");
            assertEquals(0, in.stat().dataLength());

            raw.call(OpCode.SET_DATA, Jute.setData("/empty", null, -1));
            in = raw.call(OpCode.GET_DATA, Jute.pathWatch("/empty", false)).reader();
            assertEquals(-1, in.i32(), "setData with null stores null");
        }
    }

    @BackendTest
    void syncEchoesThePathWithoutConsumingAZxid(String kind) {
        try (ZkEnv env = ZkEnv.start(kind)) {
            RawClient raw = env.rawSession();
            long zxid = raw.call(OpCode.CREATE, Jute.create("/s", null, 0)).zxid();
            for (String path : new String[] {"/s", "/does/not/exist", "no-slash"}) {
                RawReply reply = raw.call(OpCode.SYNC, Jute.path(path));
                assertEquals(0, reply.err());
                assertEquals(zxid, reply.zxid());
                JuteReader in = reply.reader();
                assertEquals(path, in.str());
                assertEquals(0, in.remaining());
            }
        }
    }

    @BackendTest
    void authRepliesCarryXidMinusFourAndZxidZero(String kind) {
        try (ZkEnv env = ZkEnv.start(kind)) {
            RawClient raw = env.rawSession();
            raw.call(OpCode.CREATE, Jute.create("/a", null, 0));
            raw.send(-4, OpCode.AUTH, Jute.auth("digest", "alice:secret"));
            RawReply ok = raw.read();
            assertEquals(-4, ok.xid());
            assertEquals(0L, ok.zxid());
            assertEquals(0, ok.err());
            assertEquals(0, ok.body().length);
            assertEquals(0, raw.ping().err());
        }
    }

    @BackendTest
    void authWithUnknownSchemeGetsAuthFailedThenClose(String kind) {
        try (ZkEnv env = ZkEnv.start(kind)) {
            ZkClient bystander = env.client();
            RawClient raw = env.rawSession();
            raw.send(-4, OpCode.AUTH, Jute.auth("nosuchscheme", "whatever"));
            RawReply reply = raw.read();
            assertEquals(-4, reply.xid());
            assertEquals(0L, reply.zxid());
            assertEquals(Err.AUTH_FAILED, reply.err());
            assertEquals(0, reply.body().length);
            raw.assertClosedByServer();
            HostileInputConformanceTest.assertStillWorks(bystander, "/after-auth-failure");
        }
    }

    @BackendTest
    void closeSessionDeliversOwnEphemeralDeletionBeforeReplyAndAnswersNothingAfter(String kind) {
        try (ZkEnv env = ZkEnv.start(kind)) {
            RawClient raw = env.rawSession();
            raw.call(OpCode.CREATE, Jute.create("/eph", null, 1));
            assertEquals(0, raw.call(OpCode.EXISTS, Jute.pathWatch("/eph", true)).err());

            byte[] close = Jute.body().i32(50).i32(OpCode.CLOSE_SESSION).bytes();
            byte[] after = Jute.body().i32(51).i32(OpCode.EXISTS).raw(Jute.pathWatch("/", false)).bytes();
            raw.writeRaw(Jute.body().i32(close.length).raw(close).i32(after.length).raw(after).bytes());

            RawReply event = raw.read();
            assertEquals("NodeDeleted /eph", event.event());
            RawReply reply = raw.read();
            assertEquals(50, reply.xid());
            assertEquals(0, reply.err());
            assertEquals(event.zxid(), reply.zxid(), "event carries the close transaction's zxid");
            assertEquals(0, reply.body().length);
            if (kind.equals("apache")) {
                // Apache races here: the pipelined exists is sometimes answered before the close takes
                // effect. What clients rely on is only that the connection then closes.
                raw.framesUntilClosed();
            } else {
                // Paddock answers nothing after closeSession, deterministically.
                raw.assertClosedByServer();
            }

            try (ZkClient observer = env.client()) {
                assertNull(exists(observer, "/eph"));
            }
        }
    }

    private static org.apache.zookeeper.data.Stat exists(ZkClient client, String path) {
        try {
            return client.zk().exists(path, false);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @BackendTest
    void notificationFrameLayout(String kind) {
        try (ZkEnv env = ZkEnv.start(kind)) {
            RawClient watcher = env.rawSession();
            RawClient writer = env.rawSession();
            writer.call(OpCode.CREATE, Jute.create("/w", null, 0));
            assertEquals(Err.NO_NODE, watcher.call(OpCode.EXISTS, Jute.pathWatch("/w/x", true)).err());
            long zxid = writer.call(OpCode.CREATE, Jute.create("/w/x", null, 0)).zxid();

            byte[] frame = watcher.readFrame();
            assertEquals(16 + 4 + 4 + 4 + 4, frame.length);
            JuteReader in = new JuteReader(frame);
            assertEquals(-1, in.i32());
            assertEquals(zxid, in.i64());
            assertEquals(0, in.i32());
            assertEquals(1, in.i32(), "NodeCreated");
            assertEquals(3, in.i32(), "SyncConnected");
            assertEquals("/w/x", in.str());
        }
    }

    @BackendTest
    void setWatchesCatchUpEventsComeBeforeTheReplyWithZxidMinusOne(String kind) {
        try (ZkEnv env = ZkEnv.start(kind)) {
            RawClient writer = env.rawSession();
            writer.call(OpCode.CREATE, Jute.create("/sw", null, 0));
            writer.call(OpCode.CREATE, Jute.create("/sw/changed", null, 0));
            writer.call(OpCode.CREATE, Jute.create("/sw/kids", null, 0));
            long before = writer.call(OpCode.CREATE, Jute.create("/sw/quiet", null, 0)).zxid();
            // Changes the client "missed" after relativeZxid = before:
            writer.call(OpCode.SET_DATA, Jute.setData("/sw/changed", Jute.utf8("v"), -1));
            writer.call(OpCode.CREATE, Jute.create("/sw/appeared", null, 0));
            writer.call(OpCode.CREATE, Jute.create("/sw/kids/k", null, 0));

            RawClient raw = env.rawSession();
            byte[] body = Jute.body().i64(before)
                    .i32(3).str("/sw/changed").str("/sw/gone").str("/sw/quiet")  // data watches
                    .i32(2).str("/sw/appeared").str("/sw/absent")                // exist watches
                    .i32(2).str("/sw/kids").str("/sw/gone2")                     // child watches
                    .bytes();
            raw.send(9, OpCode.SET_WATCHES, body);
            List<String> events = new ArrayList<>();
            RawReply frame;
            while ((frame = raw.read()).isNotification()) {
                assertEquals(-1L, frame.zxid(), "catch-up events carry zxid -1");
                events.add(frame.event());
            }
            assertEquals(9, frame.xid());
            assertEquals(0, frame.err());
            assertEquals(0, frame.body().length);
            assertEquals(List.of(
                    "NodeDataChanged /sw/changed", "NodeDeleted /sw/gone",
                    "NodeCreated /sw/appeared",
                    "NodeChildrenChanged /sw/kids", "NodeDeleted /sw/gone2"), events);

            // The registered (not fired) watches work: /sw/quiet data, /sw/absent exist.
            long zxid = writer.call(OpCode.SET_DATA, Jute.setData("/sw/quiet", null, -1)).zxid();
            RawReply fired = raw.read();
            assertEquals("NodeDataChanged /sw/quiet", fired.event());
            assertEquals(zxid, fired.zxid());
            writer.call(OpCode.CREATE, Jute.create("/sw/absent", null, 0));
            assertEquals("NodeCreated /sw/absent", raw.read().event());
        }
    }

    @BackendTest
    void setWatches2RegistersPersistentWatchesWithoutCatchUpEvents(String kind) {
        try (ZkEnv env = ZkEnv.start(kind)) {
            RawClient writer = env.rawSession();
            writer.call(OpCode.CREATE, Jute.create("/exists", null, 0));
            RawClient raw = env.rawSession();
            byte[] body = Jute.body().i64(0)
                    .i32(0).i32(0).i32(0)                  // no data, exist or child watches
                    .i32(2).str("/p2").str("/exists")      // persistent
                    .i32(1).str("/r2")                     // persistent recursive
                    .bytes();
            RawReply reply = raw.call(105, body);
            assertEquals(0, reply.err());
            assertEquals(0, reply.body().length);
            assertEquals(List.of(), raw.notifications(), "no catch-up events for persistent watches");

            long z1 = writer.call(OpCode.CREATE, Jute.create("/p2", null, 0)).zxid();
            writer.call(OpCode.CREATE, Jute.create("/r2", null, 0));
            writer.call(OpCode.CREATE, Jute.create("/r2/x", null, 0));
            writer.call(OpCode.CREATE, Jute.create("/exists/child", null, 0));
            writer.call(OpCode.DELETE, Jute.delete("/p2", -1));
            raw.send(RawReply.PING_XID, OpCode.PING, new byte[0]);
            List<String> events = new ArrayList<>();
            RawReply frame;
            long firstZxid = 0;
            while ((frame = raw.read()).isNotification()) {
                if (events.isEmpty()) {
                    firstZxid = frame.zxid();
                }
                events.add(frame.event());
            }
            assertEquals(z1, firstZxid);
            assertEquals(List.of("NodeCreated /p2", "NodeCreated /r2", "NodeCreated /r2/x",
                    "NodeChildrenChanged /exists", "NodeDeleted /p2"), events);
            assertEquals(0, raw.call(OpCode.CHECK_WATCHES, Jute.pathInt("/p2", 4)).err());
            assertEquals(0, raw.call(OpCode.CHECK_WATCHES, Jute.pathInt("/r2", 5)).err());
        }
    }

    @BackendTest
    void whoAmIListsTheIpIdentityThenDigest(String kind) {
        try (ZkEnv env = ZkEnv.start(kind)) {
            RawClient raw = env.rawSession();
            JuteReader in = raw.call(OpCode.WHO_AM_I, new byte[0]).reader();
            assertEquals(1, in.i32());
            assertEquals("ip", in.str());
            assertEquals("127.0.0.1", in.str());
            assertEquals(0, in.remaining());

            raw.send(-4, OpCode.AUTH, Jute.auth("digest", "alice:secret"));
            assertEquals(0, raw.read().err());
            in = raw.call(OpCode.WHO_AM_I, new byte[0]).reader();
            int count = in.i32();
            List<String> identities = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                identities.add(in.str() + ":" + in.str());
            }
            assertEquals(java.util.Set.of("ip:127.0.0.1", "digest:alice"), java.util.Set.copyOf(identities));
            assertEquals(2, identities.size());
        }
    }
}
