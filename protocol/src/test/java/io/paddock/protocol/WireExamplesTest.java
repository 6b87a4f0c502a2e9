package io.paddock.protocol;

import static io.paddock.protocol.WireAssert.assertBytes;
import static io.paddock.protocol.WireAssert.assertDeepEquals;
import static io.paddock.protocol.WireAssert.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.jute.BinaryOutputArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The worked examples of wire-protocol.md (1.5, 2.4, 5.3, 6.3), as hex literals: we must produce
 * exactly these frames, decode them back, and Apache's records must produce them too.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WireExamplesTest {

    /** Length-prefixed frame of the given records, as a connection writes it. */
    private static byte[] frame(Record... records) {
        JuteOutput out = new JuteOutput();
        out.writeInt(0);
        for (Record record : records) {
            out.writeRecord(record);
        }
        out.setInt(0, out.size() - 4);
        return out.toByteArray();
    }

    private static byte[] apacheFrame(org.apache.jute.Record... records) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        BinaryOutputArchive archive = BinaryOutputArchive.getArchive(body);
        for (org.apache.jute.Record record : records) {
            record.serialize(archive, "r");
        }
        JuteOutput out = new JuteOutput();
        out.writeInt(body.size());
        out.writeRaw(body.toByteArray(), 0, body.size());
        return out.toByteArray();
    }

    /** Reads the frame length and checks it covers exactly the rest of the bytes. */
    private static JuteInput body(byte[] frame) {
        JuteInput in = new JuteInput(frame);
        assertEquals(frame.length - 4, in.readInt(), "frame length");
        return in;
    }

    // 1.5: getData("/a", watch=true) with xid 5, and the NoNode reply.
    private static final String GET_DATA_REQUEST = """
            00 00 00 0f
            00 00 00 05
            00 00 00 04
            00 00 00 02 2f 61
            01
            """;
    private static final String GET_DATA_NO_NODE_REPLY = "00 00 00 10  00 00 00 05  00 00 00 00 00 00 01 2c  ff ff ff 9b";

    @Test
    void getDataRequestAndNoNodeReply() throws IOException {
        byte[] request = frame(new RequestHeader(5, OpCode.GET_DATA), new GetDataRequest("/a", true));
        assertBytes(hex(GET_DATA_REQUEST), request, "getData request");
        assertBytes(hex(GET_DATA_REQUEST), apacheFrame(new org.apache.zookeeper.proto.RequestHeader(5, 4),
                new org.apache.zookeeper.proto.GetDataRequest("/a", true)), "Apache getData request");
        JuteInput in = body(hex(GET_DATA_REQUEST));
        assertEquals(new RequestHeader(5, 4), RequestHeader.readFrom(in));
        assertEquals(new GetDataRequest("/a", true), GetDataRequest.readFrom(in));
        assertEquals(0, in.remaining());

        byte[] reply = frame(new ReplyHeader(5, 0x12c, ErrorCode.NO_NODE.code()));
        assertBytes(hex(GET_DATA_NO_NODE_REPLY), reply, "NoNode reply");
        assertBytes(hex(GET_DATA_NO_NODE_REPLY), apacheFrame(new org.apache.zookeeper.proto.ReplyHeader(5, 0x12c, -101)),
                "Apache NoNode reply");
        in = body(hex(GET_DATA_NO_NODE_REPLY));
        assertEquals(new ReplyHeader(5, 300, -101), ReplyHeader.readFrom(in));
        assertEquals(0, in.remaining());
    }

    // 2.4: new-session handshake with timeout 30000. The doc leaves the password open; these are ours.
    private static final String CONNECT_REQUEST = """
            00 00 00 2d  00 00 00 00  00 00 00 00 00 00 00 00  00 00 75 30
            00 00 00 00 00 00 00 00  00 00 00 10  00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00  00
            """;
    private static final String PASSWORD = "a1 a2 a3 a4 a5 a6 a7 a8 b1 b2 b3 b4 b5 b6 b7 b8";
    private static final String CONNECT_RESPONSE = """
            00 00 00 25  00 00 00 00  00 00 75 30  01 00 00 05 d4 fa 00 00
            00 00 00 10  a1 a2 a3 a4 a5 a6 a7 a8 b1 b2 b3 b4 b5 b6 b7 b8  00
            """;

    @Test
    void newSessionHandshake() throws IOException {
        ConnectRequest request = new ConnectRequest(0, 0L, 30_000, 0L, new byte[16], false, true);
        assertBytes(hex(CONNECT_REQUEST), frame(request), "ConnectRequest");
        assertEquals(49, hex(CONNECT_REQUEST).length);
        assertBytes(hex(CONNECT_REQUEST), apacheFrame(new org.apache.zookeeper.proto.ConnectRequest(
                0, 0L, 30_000, 0L, new byte[16], false)), "Apache ConnectRequest");
        JuteInput in = body(hex(CONNECT_REQUEST));
        assertDeepEquals(request, ConnectRequest.readFrom(in));

        byte[] password = hex(PASSWORD);
        ConnectResponse response = new ConnectResponse(0, 30_000, 0x01000005d4fa0000L, password, false, true);
        assertBytes(hex(CONNECT_RESPONSE), frame(response), "ConnectResponse");
        assertEquals(41, hex(CONNECT_RESPONSE).length);
        assertBytes(hex(CONNECT_RESPONSE), apacheFrame(new org.apache.zookeeper.proto.ConnectResponse(
                0, 30_000, 0x01000005d4fa0000L, password, false)), "Apache ConnectResponse");
        ConnectResponse decoded = ConnectResponse.readFrom(body(hex(CONNECT_RESPONSE)));
        assertDeepEquals(response, decoded);
        assertEquals(ConnectResponse.PASSWORD_LENGTH, decoded.passwd().length);
    }

    @Test
    void handshakeWithoutReadOnlyByteIsOneByteShorterAndMirrored() {
        byte[] withByte = hex(CONNECT_REQUEST);
        byte[] without = new byte[withByte.length - 1];
        System.arraycopy(withByte, 0, without, 0, without.length);
        without[3] = 0x2c;
        ConnectRequest request = ConnectRequest.readFrom(body(without));
        assertFalse(request.readOnlyPresent());
        assertEquals(30_000, request.timeOut());
        assertArrayEquals(new byte[16], request.passwd());

        byte[] reply = frame(new ConnectResponse(0, 30_000, 0x01000005d4fa0000L, hex(PASSWORD), false,
                request.readOnlyPresent()));
        assertBytes(hex("00 00 00 24  00 00 00 00  00 00 75 30  01 00 00 05 d4 fa 00 00  00 00 00 10 " + PASSWORD),
                reply, "36-byte ConnectResponse");
    }

    @Test
    void invalidSessionResponse() {
        assertBytes(hex("00 00 00 25  00 00 00 00  00 00 00 00  00 00 00 00 00 00 00 00  00 00 00 10"
                        + " 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00  00"),
                frame(ConnectResponse.invalidSession(false, true)), "invalid session");
    }

    // 5.3: multi [create /m/c, check /m/a v99, setData /m/a] failing at op 2; body after the ReplyHeader.
    private static final String FAILED_MULTI_BODY = """
            ff ff ff ff  00  00 00 00 00  00 00 00 00
            ff ff ff ff  00  ff ff ff 99  ff ff ff 99
            ff ff ff ff  00  ff ff ff fe  ff ff ff fe
            ff ff ff ff  01  ff ff ff ff
            """;

    @Test
    void failedMultiReply() throws IOException {
        MultiResponse response = new MultiResponse(List.of(
                OpResult.error(0), OpResult.error(ErrorCode.BAD_VERSION.code()),
                OpResult.error(ErrorCode.RUNTIME_INCONSISTENCY.code())));
        assertBytes(hex(FAILED_MULTI_BODY), response.toBytes(), "failed multi body");

        org.apache.zookeeper.MultiResponse apache = new org.apache.zookeeper.MultiResponse();
        apache.add(new org.apache.zookeeper.OpResult.ErrorResult(0));
        apache.add(new org.apache.zookeeper.OpResult.ErrorResult(-103));
        apache.add(new org.apache.zookeeper.OpResult.ErrorResult(-2));
        assertBytes(hex(FAILED_MULTI_BODY), ApacheJute.serialize(apache), "Apache failed multi body");

        MultiResponse decoded = MultiResponse.readFrom(new JuteInput(hex(FAILED_MULTI_BODY)));
        assertDeepEquals(response, decoded);
        assertEquals(List.of(0, -103, -2), decoded.results().stream().map(OpResult::err).toList());
        assertTrue(decoded.results().stream().allMatch(r -> r.type() == OpCode.ERROR));

        // The whole frame: header err 0 (failure is only visible in the results), zxid consumed.
        byte[] frame = frame(new ReplyHeader(9, 0x1f, 0), response);
        assertBytes(hex("00 00 00 40  00 00 00 09  00 00 00 00 00 00 00 1f  00 00 00 00" + FAILED_MULTI_BODY),
                frame, "failed multi frame");
    }

    @Test
    void emptyMultiIsTheTerminatorAlone() {
        assertBytes(hex("ff ff ff ff 01 ff ff ff ff"), new MultiResponse(List.of()).toBytes(), "empty response");
        assertBytes(hex("ff ff ff ff 01 ff ff ff ff"), new MultiRequest(List.of()).toBytes(), "empty request");
        assertEquals(List.of(), MultiRequest.readFrom(new JuteInput(hex("ff ff ff ff 01 ff ff ff ff"))).ops());
    }

    // 6.3: NodeCreated for /w/x at zxid 0x17.
    private static final String NOTIFICATION = """
            00 00 00 20  ff ff ff ff  00 00 00 00 00 00 00 17  00 00 00 00
            00 00 00 01  00 00 00 03  00 00 00 04 2f 77 2f 78
            """;

    @Test
    void nodeCreatedNotification() throws IOException {
        byte[] frame = frame(new ReplyHeader(Xid.NOTIFICATION, 0x17, 0),
                new WatcherEvent(EventType.NODE_CREATED.code(), KeeperState.SYNC_CONNECTED.code(), "/w/x"));
        assertBytes(hex(NOTIFICATION), frame, "notification");
        assertBytes(hex(NOTIFICATION), apacheFrame(new org.apache.zookeeper.proto.ReplyHeader(-1, 0x17, 0),
                new org.apache.zookeeper.proto.WatcherEvent(1, 3, "/w/x")), "Apache notification");
        JuteInput in = body(hex(NOTIFICATION));
        assertEquals(new ReplyHeader(-1, 0x17, 0), ReplyHeader.readFrom(in));
        assertEquals(new WatcherEvent(1, 3, "/w/x"), WatcherEvent.readFrom(in));
        assertEquals(0, in.remaining());
    }
}
