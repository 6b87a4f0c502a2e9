package io.paddock.server.conformance;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * A hand-driven client connection: writes length-prefixed frames built with {@link Jute} and reads
 * the server's frames back one at a time. Every read is bounded by a socket timeout.
 */
final class RawClient implements AutoCloseable {
    static final int READ_TIMEOUT_MS = 10_000;
    /** How long "the server closed the connection" may take to become visible. */
    static final int CLOSE_TIMEOUT_MS = 5_000;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final List<RawReply> notifications = new ArrayList<>();
    private int nextXid = 1;
    private long sessionId;
    private byte[] password;

    private RawClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    static RawClient open(int port) {
        try {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), READ_TIMEOUT_MS);
            socket.setSoTimeout(READ_TIMEOUT_MS);
            socket.setTcpNoDelay(true);
            return new RawClient(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- handshake ----

    /** ConnectRequest body: 45 bytes with the readOnly byte, 44 without. */
    static byte[] connectRequest(long lastZxidSeen, int timeoutMs, long sessionId, byte[] passwd,
            boolean withReadOnly) {
        Jute body = Jute.body().i32(0).i64(lastZxidSeen).i32(timeoutMs).i64(sessionId).buf(passwd);
        if (withReadOnly) {
            body.bool(false);
        }
        return body.bytes();
    }

    /** New session, standard 45-byte request. */
    ConnectResponse connect(int timeoutMs) {
        return connect(0, timeoutMs, 0, new byte[16], true);
    }

    ConnectResponse connect(long lastZxidSeen, int timeoutMs, long sessionId, byte[] passwd, boolean withReadOnly) {
        writeFrame(connectRequest(lastZxidSeen, timeoutMs, sessionId, passwd, withReadOnly));
        ConnectResponse response = ConnectResponse.parse(readFrame());
        this.sessionId = response.sessionId();
        this.password = response.passwd();
        return response;
    }

    long sessionId() {
        return sessionId;
    }

    byte[] password() {
        return password;
    }

    // ---- requests ----

    int nextXid() {
        return nextXid++;
    }

    void send(int xid, int op, byte[] body) {
        writeFrame(Jute.body().i32(xid).i32(op).raw(body).bytes());
    }

    /** Sends with the next xid and returns it. */
    int send(int op, byte[] body) {
        int xid = nextXid();
        send(xid, op, body);
        return xid;
    }

    /**
     * Sends a request and returns its reply. Notifications that arrive first are kept in
     * {@link #notifications()}; any other frame with a different xid fails the test.
     */
    RawReply call(int op, byte[] body) {
        int xid = send(op, body);
        return replyTo(xid);
    }

    RawReply replyTo(int xid) {
        while (true) {
            RawReply reply = read();
            if (reply.isNotification()) {
                notifications.add(reply);
                continue;
            }
            if (reply.xid() != xid) {
                throw new AssertionError("expected reply to xid " + xid + " but got " + reply);
            }
            return reply;
        }
    }

    /** Notifications collected by {@link #call}, in arrival order, as "Type path". */
    List<String> notifications() {
        return notifications.stream().map(RawReply::event).toList();
    }

    List<RawReply> notificationFrames() {
        return List.copyOf(notifications);
    }

    /** The last applied zxid as reported by a ping reply (header only, xid -2). */
    RawReply ping() {
        send(RawReply.PING_XID, OpCode.PING, new byte[0]);
        return replyTo(RawReply.PING_XID);
    }

    // ---- frames ----

    void writeFrame(byte[] payload) {
        writeRaw(Jute.body().i32(payload.length).raw(payload).bytes());
    }

    void writeRaw(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    byte[] readFrame() {
        try {
            int length = in.readInt();
            if (length < 0 || length > 16 * 1024 * 1024) {
                throw new AssertionError("implausible frame length from server: " + length);
            }
            byte[] payload = new byte[length];
            in.readFully(payload);
            return payload;
        } catch (EOFException e) {
            throw new AssertionError("server closed the connection while a frame was expected", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    RawReply read() {
        return RawReply.parse(readFrame());
    }

    /**
     * True when the server closes the connection (EOF or reset) before sending anything more
     * within {@link #CLOSE_TIMEOUT_MS}; false if it stays open that long. Fails if a byte arrives.
     */
    boolean closedByServer() {
        try {
            socket.setSoTimeout(CLOSE_TIMEOUT_MS);
            int b = in.read();
            if (b >= 0) {
                throw new AssertionError("expected the connection to close, but the server sent data (first byte " + b + ")");
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true; // reset by peer
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                if (!socket.isClosed()) {
                    socket.setSoTimeout(READ_TIMEOUT_MS);
                }
            } catch (SocketException ignored) {
                // the socket is gone, nothing to restore
            }
        }
    }

    void assertClosedByServer() {
        if (!closedByServer()) {
            throw new AssertionError("server kept the connection open for " + CLOSE_TIMEOUT_MS + " ms");
        }
    }

    /**
     * Reads until the server closes the connection, returning whatever complete frames arrived
     * first. Used where either an error reply or a plain close is acceptable.
     */
    List<byte[]> framesUntilClosed() {
        List<byte[]> frames = new ArrayList<>();
        try {
            socket.setSoTimeout(CLOSE_TIMEOUT_MS);
            while (true) {
                int length = in.readInt();
                byte[] payload = new byte[Math.max(0, Math.min(length, 1 << 20))];
                in.readFully(payload);
                frames.add(payload);
            }
        } catch (EOFException | SocketException e) {
            return frames;
        } catch (SocketTimeoutException e) {
            throw new AssertionError("server kept the connection open for " + CLOSE_TIMEOUT_MS + " ms after " + frames.size() + " frames");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Closes our side abruptly, without closeSession. */
    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing useful to do in cleanup
        }
    }
}
