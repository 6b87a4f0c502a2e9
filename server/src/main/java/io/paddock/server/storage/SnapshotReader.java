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
        List<SessionTable.Entry> sessions = new ArrayList<>();
        List<NodeImage> nodes = new ArrayList<>();
        Header h = readInto(file, new Sink() {
            @Override
            public void sessions(List<SessionTable.Entry> s) {
                sessions.addAll(s);
            }

            @Override
            public void nodeCount(int count) {
                ((ArrayList<NodeImage>) nodes).ensureCapacity(Math.min(count, 1 << 20));
            }

            @Override
            public void node(NodeImage n) {
                nodes.add(n);
            }
        });
        return new Content(h.zxid(), h.compressed(), sessions, nodes);
    }

    /**
     * Reads a snapshot straight into a state machine: the file is read, checked and decoded on a
     * thread of its own while this one builds the tree, so a large snapshot loads on two cores.
     * Nothing is returned unless the whole file is intact (its checksum is verified at the end).
     */
    public static StateMachine load(Path file, boolean extendedTypes) {
        TreeLoad load = new TreeLoad(extendedTypes);
        try {
            HandOff.<NodeImage>run("paddock-snapshot-reader", out -> load.header = readInto(file, load.reading(out)),
                    load::add);
        } catch (IOException e) {
            throw damaged(file, -1, e.getMessage());
        }
        if (load.restorer == null) {
            throw damaged(file, -1, "no nodes");
        }
        return new StateMachine(load.restorer.finish(), load.sessions, load.header.zxid());
    }

    /**
     * One streamed load: the reader thread fills in the header, the sessions and the node count
     * before it hands over the first node, and the hand-off orders those writes before the
     * building thread's reads.
     */
    private static final class TreeLoad {
        private final boolean extendedTypes;
        private final List<SessionTable.Entry> sessions = new ArrayList<>();
        private int expectedNodes;
        private Header header;
        private DataTree.Restorer restorer;

        TreeLoad(boolean extendedTypes) {
            this.extendedTypes = extendedTypes;
        }

        /** The reader thread's side: sessions and the count kept here, nodes passed to {@code out}. */
        Sink reading(java.util.function.Consumer<NodeImage> out) {
            return new Sink() {
                @Override
                public void sessions(List<SessionTable.Entry> s) {
                    sessions.addAll(s);
                }

                @Override
                public void nodeCount(int count) {
                    // Only a sizing hint: the count is not checked until the whole body is, so a
                    // damaged one must not size a table before the checksum can refuse the file.
                    expectedNodes = Math.min(count, 1 << 22);
                }

                @Override
                public void node(NodeImage n) {
                    out.accept(n);
                }
            };
        }

        /** The building thread's side. */
        void add(NodeImage n) {
            if (restorer == null) {
                restorer = DataTree.restorer(extendedTypes, expectedNodes);
            }
            restorer.add(n);
        }
    }

    /** A snapshot's header fields. */
    record Header(long zxid, boolean compressed) {
    }

    /** Receives a snapshot's content in file order: sessions, the node count, each node. */
    interface Sink {
        void sessions(List<SessionTable.Entry> sessions);

        void nodeCount(int count);

        void node(NodeImage node);
    }

    static Header readInto(Path file, Sink sink) {
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
            try (InputStream raw = Files.newInputStream(file)) {
                raw.skipNBytes(SnapshotFormat.HEADER_BYTES);
                CheckedInputStream checked = new CheckedInputStream(new BoundedInputStream(raw, bodyBytes), crc);
                InputStream body = gzip ? new GZIPInputStream(checked, 1 << 16) : new BufferedInputStream(checked, 1 << 16);
                parse(file, new DataInputStream(body), sink);
                // Consume whatever remains so the checksum covers every stored byte.
                checked.transferTo(OutputSink.INSTANCE);
            }
            if ((int) crc.getValue() != storedCrc) {
                throw damaged(file, SnapshotFormat.HEADER_BYTES, "checksum mismatch in the body");
            }
            return new Header(zxid, gzip);
        } catch (EOFException e) {
            throw damaged(file, -1, "body ends early");
        } catch (IOException | JuteException e) {
            throw damaged(file, -1, e.getMessage());
        }
    }

    private static void parse(Path file, DataInputStream data, Sink sink) throws IOException {
        StreamReader in = new StreamReader(data);
        int sessionCount = in.readInt();
        if (sessionCount < 0) {
            throw damaged(file, -1, "negative session count");
        }
        List<SessionTable.Entry> sessions = new ArrayList<>(Math.min(sessionCount, 1 << 16));
        for (int i = 0; i < sessionCount; i++) {
            sessions.add(SnapshotFormat.readSession(in));
        }
        sink.sessions(sessions);
        int nodeCount = in.readInt();
        if (nodeCount < 4) {
            throw damaged(file, -1, "impossible node count " + nodeCount);
        }
        sink.nodeCount(nodeCount);
        for (int i = 0; i < nodeCount; i++) {
            sink.node(SnapshotFormat.readNode(in));
        }
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
