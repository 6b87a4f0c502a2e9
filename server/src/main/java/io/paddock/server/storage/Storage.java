package io.paddock.server.storage;

import io.paddock.server.config.ServerConfig;
import io.paddock.server.txn.SessionTable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.List;

/**
 * The data directory: snapshots in {@code dataDir/version-2}, log segments in
 * {@code dataLogDir/version-2} (the layout Apache's tools and scripts expect), guarded by a lock
 * so that two servers never share it.
 */
public final class Storage implements AutoCloseable {
    private final ServerConfig config;
    private final Path snapDir;
    private final Path logDir;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final FsyncWatch fsyncWatch;

    /** The data directory of {@code config}, its fsyncs recorded in metrics of its own (tools, tests). */
    public Storage(ServerConfig config) throws IOException {
        this(config, new io.paddock.server.stats.Metrics());
    }

    /** The data directory of {@code config}; the log's fsyncs are recorded in {@code metrics}. */
    public Storage(ServerConfig config, io.paddock.server.stats.Metrics metrics) throws IOException {
        this.config = config;
        this.fsyncWatch = new FsyncWatch(metrics, config.fsyncWarningThresholdMs());
        this.snapDir = snapshotDir(config);
        this.logDir = config.dataLogDir().resolve("version-2");
        Files.createDirectories(snapDir);
        Files.createDirectories(logDir);
        Path lockFile = config.dataDir().resolve("paddock.lock");
        this.lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = lockChannel.tryLock();
        } catch (IOException e) {
            lockChannel.close();
            throw e;
        } catch (java.nio.channels.OverlappingFileLockException e) {
            // Held by another server in this same JVM (embedded use, tests).
            l = null;
        }
        if (l == null) {
            lockChannel.close();
            throw new IOException("data directory " + config.dataDir() + " is in use by another server (" + lockFile + " is locked)");
        }
        this.lock = l;
    }

    /** Where the snapshots of {@code config}'s server are kept. */
    public static Path snapshotDir(ServerConfig config) {
        return config.dataDir().resolve("version-2");
    }

    public Path snapshotDir() {
        return snapDir;
    }

    public Path logDir() {
        return logDir;
    }

    public Recovery.Result recover() throws IOException {
        return Recovery.recover(snapDir, logDir, config.extendedTypesEnabled());
    }

    public TxnLog openLog() throws IOException {
        return new TxnLog(logDir, config.preAllocBytes(), config.forceSync(), fsyncWatch);
    }

    public SnapshotWriter beginSnapshot(long zxid, Collection<SessionTable.Entry> sessions, int nodeCount) {
        return SnapshotWriter.begin(snapDir, zxid, config.snapshotCompression(), sessions, nodeCount);
    }

    /** The newest snapshot file (to stream to a server that needs a full copy), or null. */
    public Path newestSnapshot() throws IOException {
        List<Path> all = Recovery.snapshots(snapDir);
        return all.isEmpty() ? null : all.get(0);
    }

    /**
     * Installs a snapshot received from another server: the stream goes to a temporary file that
     * is synced and validated whole before it is renamed into place. Returns its zxid.
     */
    public long installSnapshot(InputStream in) throws IOException {
        Path tmp = snapDir.resolve("incoming.tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            in.transferTo(out);
        }
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        long zxid;
        try {
            zxid = SnapshotReader.read(tmp).zxid();
        } catch (StorageException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, snapDir.resolve(SnapshotFormat.fileName(zxid)), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        DurableFiles.syncDirectory(snapDir);
        return zxid;
    }

    /** Keeps the newest {@code retain} snapshots and the log they need; deletes the rest. */
    public Purge.Result purge(int retain) throws IOException {
        return Purge.run(snapDir, logDir, retain);
    }

    @Override
    public void close() throws IOException {
        lock.release();
        lockChannel.close();
    }
}
