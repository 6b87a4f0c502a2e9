package io.paddock.server.storage;

import io.paddock.protocol.JuteOutput;
import io.paddock.server.tree.NodeImage;
import io.paddock.server.txn.SessionTable;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * A copy of a snapshot that is safe to hand out: the same file in every way (header, nodes,
 * compression, a valid checksum, readable by the same readers) except that each session's password
 * is zeros of the same length. A session password lets whoever holds it take the session over, and
 * a restore from an operator's copy does not need it: the clients of a restored server start new
 * sessions. The source is checked (checksum, structure) while it is copied.
 */
public final class SnapshotRedaction {
    private SnapshotRedaction() {
    }

    /** Writes the redacted copy of {@code snapshot} to {@code target} (created or replaced). */
    public static void copyWithoutPasswords(Path snapshot, Path target) {
        byte[] header;
        try (InputStream in = Files.newInputStream(snapshot)) {
            header = in.readNBytes(SnapshotFormat.HEADER_BYTES);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + snapshot, e);
        }
        if (header.length < SnapshotFormat.HEADER_BYTES) {
            throw new StorageException("snapshot " + snapshot + " is truncated");
        }
        boolean gzip = (ByteBuffer.wrap(header).getInt(16) & SnapshotFormat.FLAG_GZIP) != 0;
        try (FileOutputStream file = new FileOutputStream(target.toFile())) {
            file.write(header);
            CRC32C crc = new CRC32C();
            OutputStream body = SnapshotFormat.bodyOver(file, crc, gzip);
            Copier copier = new Copier(body);
            SnapshotReader.readInto(snapshot, copier);
            copier.drain();
            SnapshotFormat.endBody(body, file, crc);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    /** Re-encodes what the reader yields, zeroing passwords. */
    private static final class Copier implements SnapshotReader.Sink {
        private final OutputStream out;
        private final JuteOutput buf = new JuteOutput(64 * 1024);

        Copier(OutputStream out) {
            this.out = out;
        }

        @Override
        public void sessions(List<SessionTable.Entry> sessions) {
            buf.writeInt(sessions.size());
            for (SessionTable.Entry e : sessions) {
                byte[] password = e.password() == null ? null : new byte[e.password().length];
                SnapshotFormat.writeSession(new SessionTable.Entry(e.id(), e.timeoutMs(), password), buf);
            }
            drain();
        }

        @Override
        public void nodeCount(int count) {
            buf.writeInt(count);
        }

        @Override
        public void node(NodeImage node) {
            SnapshotFormat.writeNode(node, buf);
            if (buf.size() >= 48 * 1024) {
                drain();
            }
        }

        void drain() {
            try {
                out.write(buf.array(), 0, buf.size());
                buf.reset();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
