package io.paddock.server.sasl;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;

/** A hand-framed client session, to see the exact reply the server sends (header, body, then close or not). */
final class RawSession implements AutoCloseable {
    /** A reply: header fields and the bytes after the header. */
    record Reply(int xid, long zxid, int err, byte[] body) {
    }

    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;

    /** Connects and completes the handshake for a new session. */
    RawSession(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        in = new DataInputStream(socket.getInputStream());
        out = new DataOutputStream(socket.getOutputStream());
        ByteBuffer connect = ByteBuffer.allocate(45);
        connect.putInt(0).putLong(0).putInt(30_000).putLong(0).putInt(16).put(new byte[16]).put((byte) 0);
        frame(connect.array());
        readFrame();
    }

    /** Sends a request with a body of one jute buffer ({@code token}; null writes length -1). */
    Reply call(int xid, int op, byte[] token) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(b);
        d.writeInt(xid);
        d.writeInt(op);
        if (token != null) {
            d.writeInt(token.length);
            d.write(token);
        }
        frame(b.toByteArray());
        ByteBuffer r = ByteBuffer.wrap(readFrame());
        Reply reply = new Reply(r.getInt(), r.getLong(), r.getInt(), new byte[r.remaining()]);
        r.get(reply.body());
        return reply;
    }

    /** Whether the server has closed the connection (end of stream or reset before the timeout). */
    boolean closedByServer() throws IOException {
        try {
            return in.read() == -1;
        } catch (SocketException e) {
            return true;
        }
    }

    private void frame(byte[] payload) throws IOException {
        out.writeInt(payload.length);
        out.write(payload);
        out.flush();
    }

    private byte[] readFrame() throws IOException {
        int len = in.readInt();
        if (len < 0) {
            throw new EOFException("bad length " + len);
        }
        byte[] b = new byte[len];
        in.readFully(b);
        return b;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
