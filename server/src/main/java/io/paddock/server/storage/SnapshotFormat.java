package io.paddock.server.storage;

import io.paddock.protocol.ACL;
import io.paddock.protocol.JuteOutput;
import io.paddock.server.tree.NodeImage;
import io.paddock.server.txn.SessionTable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The snapshot format. A file {@code snapshot.<hex zxid>} holds a 20-byte header (magic "PDKS",
 * version, zxid, flags), a body (optionally gzip-compressed): the sessions, then the nodes with
 * every persistent field; and an 8-byte trailer: the CRC32C of the body bytes as stored, and the
 * magic "PDKE". A file without a valid trailer is incomplete and is never loaded.
 */
public final class SnapshotFormat {
    static final int MAGIC = 0x50444B53;
    static final int END_MAGIC = 0x50444B45;
    static final int VERSION = 1;
    static final int HEADER_BYTES = 20;
    static final int TRAILER_BYTES = 8;
    static final int FLAG_GZIP = 1;
    static final String PREFIX = "snapshot.";

    private SnapshotFormat() {
    }

    static String fileName(long zxid) {
        return PREFIX + Long.toHexString(zxid);
    }

    /** The zxid named by a snapshot file, or -1 if the name is not a snapshot's. */
    public static long zxidOf(Path file) {
        String name = file.getFileName().toString();
        if (!name.startsWith(PREFIX) || name.endsWith(".tmp")) {
            return -1;
        }
        try {
            return Long.parseUnsignedLong(name.substring(PREFIX.length()), 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The body stream over the file (after the header): gzip or plain, its stored bytes summed into {@code crc}. */
    static java.io.OutputStream bodyOver(java.io.OutputStream file, java.util.zip.CRC32C crc, boolean gzip)
            throws IOException {
        java.io.OutputStream checked = new java.util.zip.CheckedOutputStream(file, crc);
        return gzip
                ? new java.util.zip.GZIPOutputStream(new java.io.BufferedOutputStream(checked, 1 << 16), 1 << 16)
                : new java.io.BufferedOutputStream(checked, 1 << 16);
    }

    /** Ends the body written through {@link #bodyOver} and writes the trailer (the body's CRC and the end magic). */
    static void endBody(java.io.OutputStream body, java.io.OutputStream file, java.util.zip.CRC32C crc)
            throws IOException {
        if (body instanceof java.util.zip.GZIPOutputStream gz) {
            gz.finish();
        }
        body.flush();
        file.write(java.nio.ByteBuffer.allocate(TRAILER_BYTES).putInt((int) crc.getValue()).putInt(END_MAGIC).array());
    }

    static void writeSession(SessionTable.Entry e, JuteOutput out) {
        out.writeLong(e.id());
        out.writeInt(e.timeoutMs());
        out.writeBuffer(e.password());
    }

    static SessionTable.Entry readSession(StreamReader in) throws IOException {
        return new SessionTable.Entry(in.readLong(), in.readInt(), in.readBuffer());
    }

    static void writeNode(NodeImage n, JuteOutput out) {
        out.writeString(n.path());
        out.writeBuffer(n.data());
        out.writeRecordVector(n.acl());
        out.writeLong(n.czxid());
        out.writeLong(n.mzxid());
        out.writeLong(n.pzxid());
        out.writeLong(n.ctime());
        out.writeLong(n.mtime());
        out.writeInt(n.version());
        out.writeInt(n.childCreates());
        out.writeInt(n.aversion());
        out.writeLong(n.ephemeralOwner());
    }

    static NodeImage readNode(StreamReader in) throws IOException {
        String path = in.readString();
        byte[] data = in.readBuffer();
        List<ACL> acl = in.readAcl();
        return new NodeImage(path, data, acl, in.readLong(), in.readLong(), in.readLong(), in.readLong(),
                in.readLong(), in.readInt(), in.readInt(), in.readInt(), in.readLong());
    }
}
