package io.paddock.server.limits;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Hand-built client frames (ZooKeeper's wire format: big-endian jute, length-prefixed) for abusive tests. */
final class RawFrames {
    private RawFrames() {
    }

    record Reply(int xid, long zxid, int err) {
        static Reply read(DataInputStream in) throws IOException {
            while (true) {
                DataInputStream frame = new DataInputStream(new ByteArrayInputStream(readFrame(in)));
                Reply r = new Reply(frame.readInt(), frame.readLong(), frame.readInt());
                if (r.xid() != -1) { // skip any notification
                    return r;
                }
            }
        }
    }

    static byte[] readFrame(DataInputStream in) throws IOException {
        byte[] payload = new byte[in.readInt()];
        in.readFully(payload);
        return payload;
    }

    static void frame(DataOutputStream out, byte[] payload) {
        try {
            out.writeInt(payload.length);
            out.write(payload);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] connectRequest() {
        return bytes(d -> {
            d.writeInt(0);
            d.writeLong(0);
            d.writeInt(30_000);
            d.writeLong(0);
            d.writeInt(16);
            d.write(new byte[16]);
            d.writeBoolean(false);
        });
    }

    /** exists (3) or getData (4): a path and the watch flag. */
    static byte[] pathRequest(int xid, int op, String path, boolean watch) {
        return bytes(d -> {
            d.writeInt(xid);
            d.writeInt(op);
            str(d, path);
            d.writeBoolean(watch);
        });
    }

    static void str(DataOutputStream d, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        d.writeInt(b.length);
        d.write(b);
    }

    interface Body {
        void write(DataOutputStream d) throws IOException;
    }

    static byte[] bytes(Body body) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try {
            body.write(new DataOutputStream(buf));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buf.toByteArray();
    }
}
