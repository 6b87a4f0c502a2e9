package io.paddock.server.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.paddock.protocol.ConnectRequest;
import io.paddock.protocol.ConnectResponse;
import io.paddock.protocol.CreateRequest;
import io.paddock.protocol.GetDataRequest;
import io.paddock.protocol.JuteInput;
import io.paddock.protocol.JuteOutput;
import io.paddock.protocol.OpCode;
import io.paddock.protocol.Record;
import io.paddock.protocol.ReplyHeader;
import io.paddock.protocol.RequestHeader;
import io.paddock.protocol.SetDataRequest;
import io.paddock.server.testing.TestServer;
import io.paddock.server.testing.TestServers;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Many requests pipelined on one connection, far past the per-connection and global in-flight
 * limits: the server pushes back instead of queueing without bound, and every reply still comes
 * back, in request order, with reads seeing the writes before them.
 */
@Timeout(120)
class PipeliningTest {
    private static void frame(OutputStream out, Record header, Record body) throws Exception {
        JuteOutput o = new JuteOutput();
        o.writeInt(0);
        header.writeTo(o);
        if (body != null) {
            body.writeTo(o);
        }
        o.setInt(0, o.size() - 4);
        out.write(o.array(), 0, o.size());
    }

    private static JuteInput readFrame(DataInputStream in) throws Exception {
        int len = in.readInt();
        byte[] body = new byte[len];
        in.readFully(body);
        return new JuteInput(body);
    }

    @Test
    void repliesComeBackInOrderUnderBackpressure() throws Exception {
        int requests = 20_000;
        try (TestServer server = TestServers.paddock(Map.of("globalOutstandingLimit", "100",
                "paddock.maxOutstandingPerConnection", "50"));
             Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(30_000);
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            JuteOutput hs = new JuteOutput();
            hs.writeInt(0);
            new ConnectRequest(0, 0, 30_000, 0, new byte[16], false, true).writeTo(hs);
            hs.setInt(0, hs.size() - 4);
            out.write(hs.array(), 0, hs.size());
            frame(out, new RequestHeader(1, OpCode.CREATE), new CreateRequest("/p", new byte[] {0},
                    io.paddock.protocol.Acls.OPEN_ACL_UNSAFE, 0));
            out.flush();
            ConnectResponse cr = ConnectResponse.readFrom(readFrame(in));
            assertEquals(16, cr.passwd().length);
            assertEquals(0, ReplyHeader.readFrom(readFrame(in)).err());

            // Write everything from another thread while this one reads, as a real pipelining client does.
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; i < requests; i++) {
                        int xid = i + 2;
                        if (i % 2 == 0) {
                            frame(out, new RequestHeader(xid, OpCode.SET_DATA),
                                    new SetDataRequest("/p", new byte[] {(byte) i}, -1));
                        } else {
                            frame(out, new RequestHeader(xid, OpCode.GET_DATA), new GetDataRequest("/p", false));
                        }
                    }
                    out.flush();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            for (int i = 0; i < requests; i++) {
                JuteInput reply = readFrame(in);
                ReplyHeader h = ReplyHeader.readFrom(reply);
                assertEquals(i + 2, h.xid(), "replies in request order");
                assertEquals(0, h.err());
                if (i % 2 == 1) {
                    byte[] data = reply.readBuffer();
                    assertEquals(List.of((byte) (i - 1)), List.of(data[0]), "a read sees the write before it");
                }
            }
            writer.join();
        }
    }

    @Test
    void authPipelinedBehindTheHandshakeIsAnsweredAfterIt() throws Exception {
        // The Apache Java client on Netty sends ConnectRequest, auth and more in one write.
        try (TestServer server = TestServers.paddock(Map.of());
             Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            JuteOutput o = new JuteOutput();
            o.writeInt(0);
            new ConnectRequest(0, 0, 30_000, 0, new byte[16], false, true).writeTo(o);
            o.setInt(0, o.size() - 4);
            int mark = o.size();
            o.writeInt(0);
            new RequestHeader(-4, OpCode.AUTH).writeTo(o);
            new io.paddock.protocol.AuthPacket(0, "digest", "u:p".getBytes(java.nio.charset.StandardCharsets.UTF_8)).writeTo(o);
            o.setInt(mark, o.size() - mark - 4);
            mark = o.size();
            o.writeInt(0);
            new RequestHeader(2, OpCode.WHO_AM_I).writeTo(o);
            o.setInt(mark, o.size() - mark - 4);
            socket.getOutputStream().write(o.array(), 0, o.size());
            DataInputStream in = new DataInputStream(socket.getInputStream());
            JuteInput first = readFrame(in);
            assertEquals(37, first.remaining(), "the first frame is the 37-byte ConnectResponse");
            assertEquals(16, ConnectResponse.readFrom(first).passwd().length);
            ReplyHeader auth = ReplyHeader.readFrom(readFrame(in));
            assertEquals(-4, auth.xid());
            assertEquals(0, auth.err());
            JuteInput who = readFrame(in);
            assertEquals(2, ReplyHeader.readFrom(who).xid());
            assertEquals(2, io.paddock.protocol.WhoAmIResponse.readFrom(who).clientInfo().size(), "the auth counted");
        }
    }
}
