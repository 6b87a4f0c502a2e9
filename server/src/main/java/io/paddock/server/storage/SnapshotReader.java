package io.paddock.server.storage;

import io.paddock.protocol.JuteException;
import io.paddock.server.tree.DataTree;
import io.paddock.server.tree.NodeImage;
import io.paddock.server.txn.SessionTable;
import io.paddock.server.txn.StateMachine;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.GZIPInputStream;

/** Reads and validates a snapshot file; nothing of a damaged file is ever used. */
public final class SnapshotReader {
    /** A snapshot's content. */
    public record Content(long zxid, boolean compressed, List<SessionTable.Entry> sessions, List<NodeImage> nodes) {
        public StateMachine toStateMachine(boolean extendedTypes) {
            return new StateMachine(DataTree.restore(extendedTypes, nodes), sessions, zxid);
        }
    }

    private SnapshotReader() {
    }

    /** Reads the whole snapshot; throws StorageException naming the file and what is wrong. */
    public static Content read(Path file) {
        try {
            long size = Files.size(file);
            if (size < SnapshotFormat.HEADER_BYTES + SnapshotFormat.TRAILER_BYTES) {
                throw damaged(file, 0, "truncated: " + size + " bytes");
            }
            ByteBuffer header = ByteBuffer.allocate(SnapshotFormat.HEADER_BYTES);
            ByteBuffer trailer = ByteBuffer.allocate(SnapshotFormat.TRAILER_BYTES);
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                ch.read(header, 0);
                ch.read(trailer, size - SnapshotFormat.TRAILER_BYTES);
            }
            header.flip();
            trailer.flip();
            if (header.getInt() != SnapshotFormat.MAGIC || header.getInt() != SnapshotFormat.VERSION) {
                throw damaged(file, 0, "not a Paddock snapshot (bad magic or version)");
            }
            long zxid = header.getLong();
            boolean gzip = (header.getInt() & SnapshotFormat.FLAG_GZIP) != 0;
            int storedCrc = trailer.getInt();
            if (trailer.getInt() != SnapshotFormat.END_MAGIC) {
                throw damaged(file, size - SnapshotFormat.TRAILER_BYTES, "no end marker: the snapshot is incomplete");
            }
            long bodyBytes = size - SnapshotFormat.HEADER_BYTES - SnapshotFormat.TRAILER_BYTES;
            CRC32C crc = new CRC32C();
            Content content;
            try (InputStream raw = Files.newInputStream(file)) {
                raw.skipNBytes(SnapshotFormat.HEADER_BYTES);
                CheckedInputStream checked = new CheckedInputStream(new BoundedInputStream(raw, bodyBytes), crc);
                InputStream body = gzip ? new GZIPInputStream(checked, 1 << 16) : new BufferedInputStream(checked, 1 << 16);
                content = parse(file, zxid, gzip, new DataInputStream(body));
                // Consume whatever remains so the checksum covers every stored byte.
                checked.transferTo(OutputSink.INSTANCE);
            }
            if ((int) crc.getValue() != storedCrc) {
                throw damaged(file, SnapshotFormat.HEADER_BYTES, "checksum mismatch in the body");
            }
            return content;
        } catch (EOFException e) {
            throw damaged(file, -1, "body ends early");
        } catch (IOException | JuteException e) {
            throw damaged(file, -1, e.getMessage());
        }
    }

    private static Content parse(Path file, long zxid, boolean gzip, DataInputStream data) throws IOException {
        StreamReader in = new StreamReader(data);
        int sessionCount = in.readInt();
        if (sessionCount < 0) {
            throw damaged(file, -1, "negative session count");
        }
        List<SessionTable.Entry> sessions = new ArrayList<>(Math.min(sessionCount, 1 << 16));
        for (int i = 0; i < sessionCount; i++) {
            sessions.add(SnapshotFormat.readSession(in));
        }
        int nodeCount = in.readInt();
        if (nodeCount < 4) {
            throw damaged(file, -1, "impossible node count " + nodeCount);
        }
        List<NodeImage> nodes = new ArrayList<>(Math.min(nodeCount, 1 << 20));
        for (int i = 0; i < nodeCount; i++) {
            nodes.add(SnapshotFormat.readNode(in));
        }
        return new Content(zxid, gzip, sessions, nodes);
    }

    private static StorageException damaged(Path file, long offset, String what) {
        return new StorageException("snapshot " + file + " is damaged" + (offset >= 0 ? " at offset " + offset : "")
                + ": " + what);
    }

    /** Discards bytes. */
    private static final class OutputSink extends java.io.OutputStream {
        static final OutputSink INSTANCE = new OutputSink();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }

    /** Stops at the start of the trailer. */
    private static final class BoundedInputStream extends java.io.FilterInputStream {
        private long left;

        BoundedInputStream(InputStream in, long limit) {
            super(in);
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }
}
