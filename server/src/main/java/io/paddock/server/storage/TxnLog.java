package io.paddock.server.storage;

import io.paddock.protocol.JuteOutput;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends txns to log segments. Records are buffered by {@link #append} and written by
 * {@link #sync}, which ends with one fsync for the whole batch (group commit). Files grow in
 * preallocated steps so that an fsync rarely has to update the file's size. One thread only.
 */
public final class TxnLog implements Closeable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TxnLog.class);
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(1 << 20);

    private final Path dir;
    private final long preAllocBytes;
    private final boolean forceSync;
    private final JuteOutput pending = new JuteOutput(1 << 16);
    private FileChannel channel;
    private Path current;
    private long position;
    private long allocated;
    private boolean rollRequested;
    private long lastZxid = -1;
    private final FsyncWatch watch;
    private int appendedSinceSync;

    public TxnLog(Path dir, long preAllocBytes, boolean forceSync) throws IOException {
        this(dir, preAllocBytes, forceSync, FsyncWatch.NONE);
    }

    /** A log whose syncs are timed and reported to {@code watch}. */
    public TxnLog(Path dir, long preAllocBytes, boolean forceSync, FsyncWatch watch) throws IOException {
        this.watch = watch;
        this.dir = dir;
        this.preAllocBytes = Math.max(4096, preAllocBytes);
        this.forceSync = forceSync;
        Files.createDirectories(dir);
    }

    /** The segment being written, or null before the first append. */
    public Path currentSegment() {
        return current;
    }

    /** The next append starts a new segment (done at each snapshot, so old segments can be purged). */
    public void roll() {
        rollRequested = true;
    }

    /** Buffers one txn; nothing is on disk until {@link #sync}. */
    public void append(long zxid, byte[] payload) throws IOException {
        if (zxid <= lastZxid) {
            throw new IllegalStateException("log append of zxid 0x" + Long.toHexString(zxid)
                    + " after 0x" + Long.toHexString(lastZxid));
        }
        if (channel == null || rollRequested) {
            writePending();
            startSegment(zxid);
        }
        pending.writeInt(payload.length);
        pending.writeInt(LogFormat.crc(payload, 0, payload.length));
        pending.writeRaw(payload, 0, payload.length);
        lastZxid = zxid;
        appendedSinceSync++;
    }

    /** Writes what is buffered and, with forceSync, waits until it is on stable storage. */
    public void sync() throws IOException {
        long start = System.nanoTime();
        writePending();
        if (forceSync && channel != null) {
            channel.force(false);
        }
        if (appendedSinceSync > 0) {
            watch.synced(System.nanoTime() - start, appendedSinceSync, current);
            appendedSinceSync = 0;
        }
    }

    private void writePending() throws IOException {
        if (pending.size() == 0) {
            return;
        }
        ensureAllocated(position + pending.size());
        ByteBuffer buf = ByteBuffer.wrap(pending.array(), 0, pending.size());
        while (buf.hasRemaining()) {
            position += channel.write(buf, position);
        }
        pending.reset();
    }

    private void startSegment(long firstZxid) throws IOException {
        closeChannel();
        Path file = dir.resolve(LogFormat.fileName(firstZxid));
        if (Files.exists(file)) {
            // A crash right after a segment was created, before its first record was written: recovery
            // found no record in it (it would have replayed them), so starting it afresh loses nothing.
            LOG.warn("replacing {}: it holds no txn (a crash interrupted its creation)", file);
        }
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE, StandardOpenOption.READ);
        current = file;
        allocated = 0;
        ByteBuffer header = ByteBuffer.allocate(LogFormat.HEADER_BYTES);
        header.putInt(LogFormat.MAGIC).putInt(LogFormat.VERSION).putLong(firstZxid).flip();
        ensureAllocated(LogFormat.HEADER_BYTES);
        position = 0;
        while (header.hasRemaining()) {
            position += channel.write(header, position);
        }
        if (forceSync) {
            channel.force(true);
            DurableFiles.syncDirectory(dir);
        }
        rollRequested = false;
    }

    /** Extends the file with real zero blocks (not a sparse hole) so later fsyncs only flush data. */
    private void ensureAllocated(long needed) throws IOException {
        if (needed <= allocated) {
            return;
        }
        // Grown in steps of at most 1 MiB: zero-filling and syncing a whole 64 MiB preAllocSize at once
        // stalled every write behind it for hundreds of ms (the log's p99.9), while a 1 MiB step costs
        // a few ms, spread evenly.
        long step = Math.min(preAllocBytes, ZEROS.capacity());
        long target = ((needed + step - 1) / step) * step;
        long at = allocated;
        while (at < target) {
            ByteBuffer zeros = ZEROS.duplicate();
            zeros.limit((int) Math.min(zeros.capacity(), target - at));
            at += channel.write(zeros, at);
        }
        allocated = target;
        if (forceSync) {
            channel.force(true);
        }
    }

    private void closeChannel() throws IOException {
        if (channel != null) {
            // Records of the current batch may already be in this segment: they must be as durable as
            // the ones the batch's final sync covers in the next segment.
            if (forceSync) {
                channel.force(false);
            }
            channel.close();
            channel = null;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            sync();
        } finally {
            closeChannel();
        }
    }
}
