package io.paddock.server.storage;

import io.paddock.protocol.JuteOutput;
import io.paddock.server.tree.NodeImage;
import io.paddock.server.txn.SessionTable;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one snapshot. The apply thread encodes nodes into chunks ({@link #add}); a writer thread
 * streams them to a temporary file, then syncs it, renames it into place and syncs the directory,
 * so a snapshot is on disk whole or not at all. The chunk queue is bounded: the apply thread asks
 * {@link #hasRoom()} before encoding more, and never blocks on the disk.
 */
public final class SnapshotWriter {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotWriter.class);
    private static final int CHUNK_BYTES = 256 * 1024;
    private static final byte[] END = new byte[0];

    private final Path target;
    private final Path tmp;
    private final long zxid;
    private final boolean compress;
    private final ArrayBlockingQueue<byte[]> chunks = new ArrayBlockingQueue<>(16);
    private final CompletableFuture<Path> done = new CompletableFuture<>();
    private final JuteOutput current = new JuteOutput(CHUNK_BYTES + 4096);
    private final long startNanos = System.nanoTime();
    private int nodesLeft;

    private SnapshotWriter(Path dir, long zxid, boolean compress, int nodeCount) {
        this.target = dir.resolve(SnapshotFormat.fileName(zxid));
        this.tmp = dir.resolve(SnapshotFormat.fileName(zxid) + ".tmp");
        this.zxid = zxid;
        this.compress = compress;
        this.nodesLeft = nodeCount;
    }

    /** Starts a snapshot at {@code zxid} of the given sessions and {@code nodeCount} nodes to come. */
    public static SnapshotWriter begin(Path dir, long zxid, boolean compress, Collection<SessionTable.Entry> sessions,
                                       int nodeCount) {
        SnapshotWriter w = new SnapshotWriter(dir, zxid, compress, nodeCount);
        w.current.writeInt(sessions.size());
        for (SessionTable.Entry e : sessions) {
            SnapshotFormat.writeSession(e, w.current);
        }
        w.current.writeInt(nodeCount);
        Thread t = new Thread(w::writeAll, "paddock-snapshot-" + Long.toHexString(zxid));
        t.setDaemon(true);
        t.start();
        return w;
    }

    public long zxid() {
        return zxid;
    }

    /** Whether the writer can take another chunk without the caller waiting. */
    public boolean hasRoom() {
        return chunks.remainingCapacity() > 1;
    }

    public void add(NodeImage node) {
        if (nodesLeft-- <= 0) {
            throw new IllegalStateException("more nodes than announced in snapshot 0x" + Long.toHexString(zxid));
        }
        SnapshotFormat.writeNode(node, current);
        if (current.size() >= CHUNK_BYTES) {
            handOver();
        }
    }

    /** Every node was added: write the rest and complete. */
    public void finish() {
        if (nodesLeft != 0) {
            throw new IllegalStateException(nodesLeft + " nodes missing from snapshot 0x" + Long.toHexString(zxid));
        }
        handOver();
        put(END);
    }

    private void handOver() {
        if (current.size() > 0) {
            put(current.toByteArray());
            current.reset();
        }
    }

    private void put(byte[] chunk) {
        try {
            chunks.put(chunk);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while snapshotting", e);
        }
    }

    /** Completes with the snapshot's path once it is durable, or exceptionally. */
    public CompletableFuture<Path> completion() {
        return done;
    }

    private void writeAll() {
        try (FileOutputStream file = new FileOutputStream(tmp.toFile())) {
            ByteBuffer header = ByteBuffer.allocate(SnapshotFormat.HEADER_BYTES);
            header.putInt(SnapshotFormat.MAGIC).putInt(SnapshotFormat.VERSION).putLong(zxid)
                    .putInt(compress ? SnapshotFormat.FLAG_GZIP : 0);
            file.write(header.array());
            CRC32C crc = new CRC32C();
            OutputStream body = SnapshotFormat.bodyOver(file, crc, compress);
            long raw = 0;
            while (true) {
                byte[] chunk = chunks.take();
                if (chunk == END) {
                    break;
                }
                body.write(chunk);
                raw += chunk.length;
            }
            SnapshotFormat.endBody(body, file, crc);
            file.flush();
            file.getChannel().force(true);
            file.close();
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            DurableFiles.syncDirectory(target.getParent());
            LOG.info("snapshot 0x{} written: {} bytes of state, {} on disk, {} ms", Long.toHexString(zxid), raw,
                    Files.size(target), (System.nanoTime() - startNanos) / 1_000_000);
            done.complete(target);
        } catch (IOException | InterruptedException | RuntimeException e) {
            LOG.error("snapshot 0x{} failed: {}", Long.toHexString(zxid), e.toString());
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // The temporary file is ignored at start-up anyway.
            }
            done.completeExceptionally(e);
        }
    }
}
