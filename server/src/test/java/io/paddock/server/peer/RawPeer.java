package io.paddock.server.peer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.server.zab.Msg;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;

/**
 * A hand-made peer on a plain socket, for tests that play an attacker or a broken server: frames,
 * handshakes and messages written byte by byte, and the wait for the server to close.
 */
public final class RawPeer {
    /** The port kind codes of the handshake. */
    public static final int QUORUM = PortKind.QUORUM.code;
    public static final int ELECTION = PortKind.ELECTION.code;

    private RawPeer() {
    }

    /** What a test writes on the socket. */
    public interface Writes {
        void to(DataOutputStream out) throws IOException;
    }

    /** A handshake frame body with every field chosen (bad magic or version included). */
    public static byte[] handshake(int magic, short version, long id, int kind) {
        return ByteBuffer.allocate(PeerCodec.HANDSHAKE_BYTES).putInt(magic).putShort(version).putLong(id)
                .put((byte) kind).array();
    }

    /** A valid handshake claiming to be server {@code id} dialling a port of {@code kind}. */
    public static byte[] handshake(long id, int kind) {
        return handshake(PeerCodec.MAGIC, PeerCodec.VERSION, id, kind);
    }

    /** The body of one frame carrying all of {@code msg}. */
    public static byte[] message(Msg msg) {
        byte[] m = PeerCodec.toBytes(msg);
        byte[] body = new byte[m.length + 1];
        body[0] = PeerCodec.LAST;
        System.arraycopy(m, 0, body, 1, m.length);
        return body;
    }

    public static void frame(DataOutputStream out, byte[] body) throws IOException {
        out.writeInt(body.length);
        out.write(body);
    }

    /**
     * Connects to {@code port} on loopback, writes, and waits (10 s at most) for the server to close
     * the connection, reading whatever it says first (a SASL answer, for instance).
     */
    public static void assertClosedAfter(int port, Writes writes) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            writes.to(out);
            out.flush();
            InputStream in = s.getInputStream();
            int read = 0;
            try {
                while (in.read() != -1) {
                    read++;
                    assertTrue(read < 1 << 16, "the server keeps talking instead of closing");
                }
            } catch (SocketException reset) {
                // Closed with our bytes unread: a reset is a close too.
            }
        }
    }
}
