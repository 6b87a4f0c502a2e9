package io.paddock.server.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooDefs.Ids;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Timeout;

/**
 * Broken or malicious input on one connection: that connection is closed (or answered with an
 * error), while a Java client and a raw session connected at the same time keep working.
 */
@Timeout(60)
class HostileInputConformanceTest {
    static final int MAX_BUFFER = 0xFFFFF;

    /** The Java client bystander can still write and read, and never lost its connection. */
    static void assertStillWorks(ZkClient client, String path) {
        try {
            client.zk().create(path, Jute.utf8("v"), Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            Stat stat = new Stat();
            assertArrayEquals(Jute.utf8("v"), client.zk().getData(path, false, stat));
            client.zk().setData(path, Jute.utf8("w"), stat.getVersion());
            client.zk().delete(path, -1);
        } catch (Exception e) {
            throw new AssertionError("bystander client failed", e);
        }
        assertFalse(client.log().states().contains(KeeperState.Disconnected), "bystander was disconnected");
    }

    private static void assertRawStillWorks(RawClient raw, String path) {
        assertEquals(0, raw.call(OpCode.CREATE, Jute.create(path, null, 0)).err());
        assertEquals(0, raw.call(OpCode.DELETE, Jute.delete(path, 0)).err());
        assertEquals(0, raw.ping().err());
    }

    /** Runs the hostile action with two bystanders connected, then checks all three parties. */
    private static void withBystanders(String kind, java.util.function.Consumer<ZkEnv> hostile) {
        try (ZkEnv env = ZkEnv.start(kind)) {
            ZkClient client = env.client();
            RawClient raw = env.rawSession();
            hostile.accept(env);
            assertStillWorks(client, "/bystander");
            assertRawStillWorks(raw, "/raw-bystander");
            env.assertServing();
        }
    }

    @BackendTest
    void garbageBytesInsteadOfAHandshake(String kind) {
        withBystanders(kind, env -> {
            RawClient bad = env.raw();
            bad.writeRaw(new byte[] {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef, 1, 2, 3, 4, 5, 6, 7, 8});
            bad.assertClosedByServer();
        });
    }

    @BackendTest
    void garbageFirstFrameTooShortForAConnectRequest(String kind) {
        withBystanders(kind, env -> {
            RawClient bad = env.raw();
            bad.writeFrame(new byte[] {9, 8, 7, 6, 5, 4, 3, 2, 1, 0});
            bad.assertClosedByServer();
        });
    }

    @BackendTest
    void garbageFramesAfterTheHandshake(String kind) {
        withBystanders(kind, env -> {
            RawClient bad = env.rawSession();
            bad.writeRaw(new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 'g', 'a', 'r', 'b', 'a', 'g', 'e'});
            bad.assertClosedByServer();
        });
    }

    @BackendTest
    void truncatedFrameThenClientCloses(String kind) {
        withBystanders(kind, env -> {
            RawClient bad = env.rawSession();
            bad.writeRaw(Jute.body().i32(100).raw(new byte[10]).bytes());
            bad.close();
            RawClient badHandshake = env.raw();
            badHandshake.writeRaw(Jute.body().i32(45).raw(new byte[20]).bytes());
            badHandshake.close();
        });
    }

    @BackendTest
    void negativeFrameLengthClosesWithoutReply(String kind) {
        withBystanders(kind, env -> {
            RawClient afterHandshake = env.rawSession();
            afterHandshake.writeRaw(Jute.body().i32(-1).raw(new byte[8]).bytes());
            afterHandshake.assertClosedByServer();
            RawClient beforeHandshake = env.raw();
            beforeHandshake.writeRaw(Jute.body().i32(-45).raw(new byte[45]).bytes());
            beforeHandshake.assertClosedByServer();
        });
    }

    @BackendTest
    void frameLongerThanJuteMaxBufferClosesWithoutReply(String kind) {
        withBystanders(kind, env -> {
            RawClient afterHandshake = env.rawSession();
            afterHandshake.writeRaw(Jute.body().i32(MAX_BUFFER + 1).raw(new byte[64]).bytes());
            afterHandshake.assertClosedByServer();
            RawClient beforeHandshake = env.raw();
            beforeHandshake.writeRaw(Jute.body().i32(Integer.MAX_VALUE).raw(new byte[64]).bytes());
            beforeHandshake.assertClosedByServer();
        });
    }

    @BackendTest
    void frameOfExactlyJuteMaxBufferIsAccepted(String kind) {
        withBystanders(kind, env -> {
            RawClient raw = env.rawSession();
            String path = "/big";
            int fixed = 8 /* header */ + 4 + path.length() + 4 /* data length */
                    + Jute.body().openAcl().bytes().length + 4 /* flags */;
            byte[] data = new byte[MAX_BUFFER - fixed];
            byte[] payload = Jute.body().i32(1).i32(OpCode.CREATE).raw(Jute.create(path, data, 0)).bytes();
            assertEquals(MAX_BUFFER, payload.length);
            raw.writeFrame(payload);
            RawReply reply = raw.read();
            assertEquals(1, reply.xid());
            assertEquals(0, reply.err());
            assertEquals(path, reply.reader().str());
            RawReply exists = raw.call(OpCode.EXISTS, Jute.pathWatch(path, false));
            assertEquals(data.length, exists.reader().stat().dataLength());
        });
    }

    @BackendTest
    void emptyOrHeaderlessFrameAfterHandshakeClosesTheConnection(String kind) {
        withBystanders(kind, env -> {
            RawClient empty = env.rawSession();
            empty.writeFrame(new byte[0]);
            empty.assertClosedByServer();
            RawClient tiny = env.rawSession();
            tiny.writeFrame(new byte[] {0, 0, 1});
            tiny.assertClosedByServer();
        });
    }

    @BackendTest
    void requestsBeforeTheHandshakeGetNoSession(String kind) {
        withBystanders(kind, env -> {
            byte[][] requests = {
                Jute.body().i32(1).i32(OpCode.GET_DATA).raw(Jute.pathWatch("/zookeeper", false)).bytes(),
                Jute.body().i32(-2).i32(OpCode.PING).bytes(),
                Jute.body().i32(1).i32(OpCode.CREATE).raw(Jute.create("/sneaky", null, 0)).bytes(),
            };
            for (byte[] request : requests) {
                RawClient early = env.raw();
                early.writeFrame(request);
                List<byte[]> frames = early.framesUntilClosed();
                // Closed outright, or answered with something that is not a live session / success.
                for (byte[] frame : frames) {
                    if (frame.length >= 16 + 16) {
                        ConnectResponse r = ConnectResponse.parse(frame);
                        assertTrue(r.timeOut() <= 0 || r.sessionId() == 0, "a request before the handshake got a session: " + r);
                    } else if (frame.length >= 16) {
                        assertTrue(RawReply.parse(frame).err() != 0, "a request before the handshake succeeded");
                    }
                }
            }
            try {
                assertEquals(null, env.client().zk().exists("/sneaky", false));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }
}
