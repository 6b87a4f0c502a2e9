package io.paddock.server.core;

import io.paddock.server.config.ServerConfig;
import io.paddock.server.replication.Replicator;
import io.paddock.server.stats.Metrics;
import io.paddock.server.storage.SnapshotWriter;
import io.paddock.server.storage.Storage;
import io.paddock.server.tree.SnapshotCursor;
import io.paddock.server.txn.StateMachine;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When this server takes a snapshot, and the one under way: the tree is cut at once, on the core
 * thread, and encoded a slice at a time between batches of requests, so that writes never wait
 * for a whole tree; the writer thread makes the file durable. Core thread only.
 */
final class Snapshots {
    private static final Logger LOG = LoggerFactory.getLogger(Snapshots.class);
    /** Nodes encoded per slice: small enough that requests never wait long behind one. */
    static final int SLICE = 2000;

    private final ServerConfig config;
    /** Null for a server without storage: it takes no snapshots. */
    private final Storage storage;
    private final Replicator replicator;
    private final Metrics metrics;
    private final Random random;
    private long txnsSince;
    private long threshold;
    /** Nodes in the tree when the last snapshot was cut (or at recovery): scales the next threshold. */
    private long nodesAtLast;
    private SnapshotCursor cursor;
    private SnapshotWriter writer;
    /** A leader's replicator asked for a snapshot to send a learner, and has not had it yet. */
    private boolean wanted;

    Snapshots(ServerConfig config, Storage storage, Replicator replicator, Metrics metrics, Random random,
              long replayedTxns, long nodeCount) {
        this.config = config;
        this.random = random;
        this.storage = storage;
        this.replicator = replicator;
        this.metrics = metrics;
        this.txnsSince = replayedTxns;
        this.nodesAtLast = nodeCount;
        this.threshold = nextThreshold();
    }

    /**
     * snapCount/2 plus a random share of snapCount/2, so the servers of an ensemble do not snapshot
     * together (Apache's rule); and at least {@code paddock.snapTreePercent} of the nodes the last
     * snapshot held, so that a growing tree is not rewritten whole every snapCount txns.
     */
    private long nextThreshold() {
        int half = Math.max(1, config.snapCount() / 2);
        long byCount = half + random.nextInt(half) + 1;
        return Math.max(byCount, nodesAtLast * config.snapTreePercent() / 100);
    }

    /** Counts an applied txn; true once enough have been applied since the last snapshot. */
    boolean due() {
        return ++txnsSince >= threshold;
    }

    /** Whether a snapshot is being encoded. */
    boolean underWay() {
        return cursor != null;
    }

    /** Whether a leader's replicator waits for a snapshot (one is taken even while not serving). */
    boolean wanted() {
        return wanted;
    }

    /** Whether the next slice can be handed to the writer now (else the core waits a little). */
    boolean hasRoom() {
        return writer == null || writer.hasRoom();
    }

    /** Cuts a snapshot of {@code sm} as it is now, unless one is under way or there is no storage. */
    void start(StateMachine sm) {
        if (storage == null || cursor != null) {
            return;
        }
        txnsSince = 0;
        nodesAtLast = sm.tree().nodeCount();
        threshold = nextThreshold();
        replicator.rollLog();
        cursor = sm.tree().startSnapshot(sm.lastZxid());
        writer = storage.beginSnapshot(sm.lastZxid(), List.copyOf(sm.sessions().all().values()), cursor.nodeCount());
        long startNanos = System.nanoTime();
        writer.completion().whenComplete((path, failure) -> {
            if (failure == null) {
                metrics.snapshotTime.record((System.nanoTime() - startNanos) / 1_000_000);
            }
        });
        if (wanted) {
            handToReplicator(writer);
        }
        LOG.info("taking snapshot at 0x{} of {} nodes", Long.toHexString(sm.lastZxid()), cursor.nodeCount());
    }

    /** Encodes the next slice of the snapshot under way, if the writer has room for it. */
    void advance() {
        if (cursor == null || !writer.hasRoom()) {
            return;
        }
        cursor.emit(SLICE, writer::add);
        if (cursor.done()) {
            finish();
        }
    }

    /** Encodes the rest at once: the state it was cut from is about to be replaced. */
    void completeNow() {
        if (cursor == null) {
            return;
        }
        while (!cursor.done()) {
            cursor.emit(SLICE, writer::add);
        }
        finish();
    }

    private void finish() {
        writer.finish();
        cursor = null;
        writer = null;
    }

    /** The file of the snapshot under way, once durable; null when none is under way. */
    CompletableFuture<Path> completion() {
        return writer == null ? null : writer.completion();
    }

    /** Whether this server keeps snapshots at all. */
    boolean enabled() {
        return storage != null;
    }

    /**
     * The leader's replicator wants a snapshot for a learner: it gets the one under way, or else the
     * next one {@link #start}ed.
     */
    void want() {
        wanted = true;
        if (writer != null) {
            handToReplicator(writer);
        }
    }

    private void handToReplicator(SnapshotWriter w) {
        wanted = false;
        long zxid = w.zxid();
        w.completion().whenComplete((path, failure) -> {
            if (failure != null) {
                LOG.warn("the snapshot for a learner failed: {}", failure.toString());
            } else {
                replicator.snapshotTaken(zxid, path);
            }
        });
    }
}
