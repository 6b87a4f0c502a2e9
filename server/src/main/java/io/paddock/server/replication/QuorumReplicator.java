package io.paddock.server.replication;

import io.paddock.protocol.JuteInput;
import io.paddock.server.peer.PeerLimits;
import io.paddock.server.peer.PeerListener;
import io.paddock.server.peer.PeerTransport;
import io.paddock.server.replication.Proposal;
import io.paddock.server.replication.ReplicationStatus;
import io.paddock.server.replication.Replicator;
import io.paddock.server.stats.Metrics;
import io.paddock.server.storage.DurableFiles;
import io.paddock.server.storage.EpochFiles;
import io.paddock.server.storage.LogAccess;
import io.paddock.server.storage.Recovery;
import io.paddock.server.storage.SnapshotFormat;
import io.paddock.server.storage.SnapshotReader;
import io.paddock.server.storage.Storage;
import io.paddock.server.storage.StorageException;
import io.paddock.server.storage.TxnCodec;
import io.paddock.server.storage.TxnLog;
import io.paddock.server.txn.StateMachine;
import io.paddock.server.zab.Action;
import io.paddock.server.zab.Entry;
import io.paddock.server.zab.Input;
import io.paddock.server.zab.Msg;
import io.paddock.server.zab.ServerState;
import io.paddock.server.zab.ZabCore;
import io.paddock.server.zab.Zxid;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Zab for a server of an ensemble: drives a {@link ZabCore} with the network, the clock and the disk.
 *
 * <p>One thread, {@code paddock-zab}, owns the core and the log. It takes inputs from one bounded
 * queue (peer messages, ticks, proposals), steps the core with each and carries out the actions in
 * the order of {@link Action}'s persistence contract. Appends are covered by one fsync at the end of
 * each batch (group commit) and only then reported to the core as durable. A peer message that finds
 * the queue full is dropped and the core is told the peer may have lost messages (it tolerates
 * loss); a proposal waits for room instead, so a busy ensemble slows its clients down.
 *
 * <p>A storage failure, or a broken invariant in the core, takes this server out of the ensemble:
 * the listener is told what was lost, the transport closes, the others carry on.
 */
public final class QuorumReplicator implements Replicator {
    private static final Logger LOG = LoggerFactory.getLogger(QuorumReplicator.class);
    private static final int QUEUE_CAPACITY = 10_000;
    /** How long a network thread waits for room in a full queue before it drops the message. */
    private static final long NETWORK_WAIT_MS = 5_000;
    private static final int MAX_BATCH = 2000;
    private static final Input TICK = new Input.Tick();
    private static final Object ROLL = new Object();
    private static final Object WAKE = new Object();

    private final QuorumSettings settings;
    private final Metrics metrics;
    private final Storage storage;
    private final ZabCore core;
    private final ArrayBlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    /** Peers whose messages were dropped since the zab thread last told the core. */
    private final Set<Long> droppedFrom = ConcurrentHashMap.newKeySet();
    private final AtomicLong droppedMessages = new AtomicLong();
    private final PeerTransport transport;
    private final Thread thread;
    private final ScheduledExecutorService ticker;
    private final ExecutorService snapshotReader;

    private volatile boolean stopping;
    private volatile boolean failed;
    /** Completed with the cause once this server has left the ensemble for good ({@link #fail}). */
    private final CompletableFuture<Throwable> failure = new CompletableFuture<>();
    private volatile boolean closed;
    private volatile ReplicationStatus status;

    // Owned by the zab thread (and by close() once that thread has ended).
    private Listener listener;
    private TxnLog log;
    /** The highest zxid appended since the last sync, -1 when none. */
    private long unsynced = -1;
    /** The highest zxid the listener's state holds (at start the recovered state's). */
    private long delivered;
    /** This server's own proposals in the log, not yet delivered: lost if the log fails. */
    private final TreeMap<Long, Proposal> waiting = new TreeMap<>();
    private long lookingSinceNanos = -1;
    private long lastElectionMs = -1;

    /**
     * A replicator for a server that recovered {@code recovered} from {@code storage}. Binds the
     * quorum and election ports at once (messages wait for {@link #start}); opens the log itself
     * (the caller must not). The storage stays the caller's to close, after this.
     *
     * @throws IOException when the epoch files or the log cannot be read, or a port cannot be bound
     */
    public QuorumReplicator(QuorumSettings settings, Storage storage, Recovery.Result recovered) throws IOException {
        this(settings, storage, recovered, new Metrics());
    }

    /** As {@link #QuorumReplicator(QuorumSettings, Storage, Recovery.Result)}, counting into {@code metrics}. */
    public QuorumReplicator(QuorumSettings settings, Storage storage, Recovery.Result recovered, Metrics metrics)
            throws IOException {
        this(settings, storage, recovered.snapshotZxid(), recovered.state().lastZxid(), metrics);
    }

    /**
     * As {@link #QuorumReplicator(QuorumSettings, Storage, Recovery.Result)}, given the zxid of the
     * snapshot recovery started from (0: none) and the last zxid of the recovered state.
     */
    public QuorumReplicator(QuorumSettings settings, Storage storage, long snapshotZxid, long lastZxid)
            throws IOException {
        this(settings, storage, snapshotZxid, lastZxid, new Metrics());
    }

    private QuorumReplicator(QuorumSettings settings, Storage storage, long snapshotZxid, long lastZxid,
                             Metrics metrics) throws IOException {
        this.metrics = metrics;
        this.settings = settings;
        this.storage = storage;
        // Apache keeps the epoch files next to the snapshots (dataDir/version-2); so do we.
        Path epochDir = storage.snapshotDir();
        long accepted = EpochFiles.read(epochDir, EpochFiles.ACCEPTED);
        long current = EpochFiles.read(epochDir, EpochFiles.CURRENT);
        List<Entry> recent = recentLog(storage.logDir(), snapshotZxid, lastZxid, settings.commitLogCount());
        this.core = new ZabCore(settings.zabConfig(), incarnation(), accepted, current, snapshotZxid, lastZxid, recent);
        this.delivered = lastZxid;
        this.status = new ReplicationStatus(false, ServerState.LOOKING, -1, core.currentEpoch(), 0, 0, 0, 0, -1, null);
        LOG.info("server {} of ensemble {} (observers {}): acceptedEpoch {}, currentEpoch {}, snapshot {}, last zxid {},"
                        + " {} txns held for DIFF", settings.myId(), settings.voters(), settings.observers(),
                core.acceptedEpoch(), core.currentEpoch(), Zxid.hex(snapshotZxid), Zxid.hex(lastZxid), recent.size());
        this.log = storage.openLog();
        this.transport = PeerTransport.start(settings.myId(), settings.peers(), settings.bindHost(),
                settings.connectTimeoutMs(), new PeerListener() {
                    @Override
                    public void onMessage(long from, Msg msg) {
                        offerFromNetwork(from, new Input.Receive(from, msg));
                    }

                    @Override
                    public void onPeerDown(long peer) {
                        offerFromNetwork(peer, new Input.PeerDown(peer));
                    }
                }, PeerLimits.DEFAULT, settings.security());
        this.thread = new Thread(this::run, "paddock-zab");
        this.thread.setDaemon(true);
        this.ticker = Executors.newSingleThreadScheduledExecutor(daemon("paddock-zab-ticker"));
        this.snapshotReader = Executors.newSingleThreadExecutor(daemon("paddock-zab-snapshot-reader"));
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Names this start's links: random, so no message of an earlier run of this server matches them. */
    private static long incarnation() {
        // 43 bits: the core shifts it left by 20 and the result must stay positive.
        return Math.max(1, (new SecureRandom().nextLong() ^ System.nanoTime()) >>> 21);
    }

    /** The last {@code keep} logged txns after the snapshot, ending at {@code lastZxid}, as the log holds them. */
    private static List<Entry> recentLog(Path logDir, long snapshotZxid, long lastZxid, int keep) throws IOException {
        ArrayDeque<Entry> recent = new ArrayDeque<>(Math.min(keep, 1 << 16));
        LogAccess.readFrom(logDir, snapshotZxid + 1, e -> {
            long z = e.header().zxid();
            if (z <= lastZxid) {
                recent.addLast(new Entry(z, TxnCodec.encode(e.header(), e.txn()), null));
                if (recent.size() > keep) {
                    recent.removeFirst();
                }
            }
        });
        return List.copyOf(recent);
    }

    // ------------------------------------------------------------------ Replicator (the core thread)

    @Override
    public void start(Listener l) {
        this.listener = l;
        thread.start();
        ticker.scheduleAtFixedRate(() -> queue.offer(TICK), QuorumSettings.TICK_MS, QuorumSettings.TICK_MS,
                TimeUnit.MILLISECONDS);
    }

    @Override
    public void propose(Proposal p) {
        if (failed) {
            return;
        }
        byte[] data = TxnCodec.encode(p.header(), p.txn());
        // Written by the core thread only; read when the status is published.
        int size = data.length;
        lastProposalSize = size;
        minProposalSize = minProposalSize < 0 ? size : Math.min(minProposalSize, size);
        maxProposalSize = Math.max(maxProposalSize, size);
        put(new Input.Propose(new Entry(p.header().zxid(), data, p)));
    }

    private volatile int lastProposalSize = -1;
    private volatile int minProposalSize = -1;
    private volatile int maxProposalSize = -1;

    @Override
    public void rollLog() {
        put(ROLL);
    }

    @Override
    public void forward(byte[] payload) {
        put(new Input.SendRequest(payload));
    }

    @Override
    public void reply(long to, long link, byte[] payload) {
        put(new Input.SendReply(to, link, payload));
    }

    @Override
    public void snapshotTaken(long zxid, Path file) {
        // Read off the zab thread: a large snapshot must not hold up pings and acks.
        try {
            snapshotReader.execute(() -> {
                try {
                    put(new Input.SnapshotTaken(zxid, Files.readAllBytes(file)));
                } catch (IOException | RuntimeException e) {
                    LOG.warn("cannot read snapshot {} to send to a learner: {}", file, e.toString());
                }
            });
        } catch (RejectedExecutionException e) {
            // Closed.
        }
    }

    @Override
    public ReplicationStatus status() {
        return status;
    }

    /** Waits for room, as long as the replicator runs; dropped once it stopped. */
    private void put(Object item) {
        try {
            while (!stopping) {
                if (queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while handing over to replication", e);
        }
    }

    private void offerFromNetwork(long peer, Input input) {
        boolean queued;
        try {
            // A full queue holds up the network thread: it stops reading, TCP pushes back on the
            // sender, and a busy follower slows its leader instead of losing messages and
            // leaving the ensemble. Only a zab thread stuck for seconds costs messages.
            queued = queue.offer(input) || (!stopping && queue.offer(input, NETWORK_WAIT_MS, TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            queued = false;
        }
        if (!queued) {
            // The core tolerates lost messages; it is told the peer may have lost some.
            droppedFrom.add(peer);
            long n = droppedMessages.incrementAndGet();
            if (n == 1 || n % 1000 == 0) {
                LOG.warn("replication falls behind: {} peer messages dropped so far", n);
            }
        }
    }

    // ------------------------------------------------------------------ the zab thread

    /** The core broke one of its invariants (an assertion or an unexpected exception). */
    private static final class CoreFailure extends RuntimeException {
        CoreFailure(Throwable cause) {
            super(cause);
        }
    }

    private void run() {
        List<Object> batch = new ArrayList<>(MAX_BATCH);
        try {
            List<Action> first;
            try {
                first = core.start();
            } catch (RuntimeException | AssertionError e) {
                throw new CoreFailure(e);
            }
            carryOut(first);
            publish();
            while (!stopping) {
                Object item = queue.poll(100, TimeUnit.MILLISECONDS);
                if (item == null) {
                    continue;
                }
                batch.add(item);
                queue.drainTo(batch, MAX_BATCH - 1);
                for (Object o : batch) {
                    if (stopping) {
                        break;
                    }
                    handle(o);
                }
                batch.clear();
                flushAppends();
                for (Long peer : List.copyOf(droppedFrom)) {
                    droppedFrom.remove(peer);
                    step(new Input.PeerDown(peer));
                }
            }
        } catch (InterruptedException e) {
            // close() gave up waiting for a clean stop.
        } catch (CoreFailure e) {
            fail(e.getCause(), "the zab core broke an invariant");
        } catch (IOException | RuntimeException | Error e) {
            fail(e, "replication failed (log, snapshot or epoch files, or a txn that cannot be decoded)");
        } finally {
            if (closed) {
                // close() may have been called from a listener callback and not waited for this thread.
                closeLog();
            }
        }
    }

    private void handle(Object item) throws IOException {
        if (item == ROLL) {
            log.roll();
        } else if (item instanceof Input.Propose p && isStale(p.entry().zxid())) {
            LOG.debug("dropping proposal {}: not leading epoch {} any more", Zxid.hex(p.entry().zxid()),
                    Zxid.epoch(p.entry().zxid()));
        } else if (item instanceof Input in) {
            step(in);
        }
    }

    /**
     * A proposal made for an epoch this server no longer leads: the application has not yet heard
     * of the role change it was sent. The core would refuse it as out of sequence.
     */
    private boolean isStale(long zxid) {
        return core.state() != ServerState.LEADING || !core.serving() || Zxid.epoch(zxid) != core.currentEpoch();
    }

    private void step(Input in) throws IOException {
        List<Action> actions;
        try {
            actions = core.step(in);
        } catch (RuntimeException | AssertionError e) {
            throw new CoreFailure(e);
        }
        if (LOG.isTraceEnabled() && (!(in instanceof Input.Tick) || !actions.isEmpty())) {
            LOG.trace("server {}: {} -> {}", settings.myId(), in, actions);
        }
        carryOut(actions);
        publish();
    }

    /** Group commit: one fsync covers every append of the batch, then the core learns they are durable. */
    private void flushAppends() throws IOException {
        while (unsynced >= 0) {
            long z = unsynced;
            log.sync();
            unsynced = -1;
            step(new Input.Persisted(z));
        }
    }

    private void carryOut(List<Action> actions) throws IOException {
        for (Action a : actions) {
            if (a instanceof Action.Send s) {
                countSync(s.msg());
                transport.send(s.to(), s.msg());
            } else if (a instanceof Action.Append ap) {
                Entry e = ap.entry();
                log.append(e.zxid(), e.data());
                unsynced = e.zxid();
                (core.state() == ServerState.LEADING ? metrics.proposalCount : metrics.learnerProposalReceivedCount)
                        .increment();
                if (e.local() instanceof Proposal p) {
                    waiting.put(e.zxid(), p);
                }
            } else if (a instanceof Action.Deliver d) {
                (core.state() == ServerState.LEADING ? metrics.commitCount : metrics.learnerCommitReceivedCount)
                        .add(d.entries().size());
                deliver(d.entries());
            } else if (a instanceof Action.PersistEpochs pe) {
                if (pe.acceptedEpoch() >= 0) {
                    EpochFiles.write(storage.snapshotDir(), EpochFiles.ACCEPTED, pe.acceptedEpoch());
                }
                if (pe.currentEpoch() >= 0) {
                    EpochFiles.write(storage.snapshotDir(), EpochFiles.CURRENT, pe.currentEpoch());
                }
            } else if (a instanceof Action.TruncateLog t) {
                truncate(t.zxid());
            } else if (a instanceof Action.InstallSnapshot s) {
                install(s.zxid(), s.data());
            } else if (a instanceof Action.TakeSnapshot) {
                listener.snapshotWanted();
            } else if (a instanceof Action.RequestReceived r) {
                listener.requestReceived(r.from(), r.link(), r.payload());
            } else if (a instanceof Action.ReplyReceived r) {
                listener.replyReceived(r.payload());
            } else if (a instanceof Action.RoleChanged r) {
                roleChanged(r);
            }
        }
    }

    /** Counts the catch-ups this leader starts, as Apache's diff_count and snap_count. */
    private void countSync(Msg msg) {
        if (msg instanceof Msg.Link link) {
            if (link.body() instanceof Msg.Diff) {
                metrics.diffCount.increment();
            } else if (link.body() instanceof Msg.Snap) {
                metrics.snapCount.increment();
            }
        }
    }

    private void deliver(List<Entry> entries) {
        for (Entry e : entries) {
            Proposal p;
            if (e.local() instanceof Proposal own) {
                p = own;
            } else {
                TxnCodec.Entry decoded = TxnCodec.decode(new JuteInput(e.data()));
                if (decoded.header().zxid() != e.zxid()) {
                    throw new IllegalStateException("txn " + Zxid.hex(e.zxid()) + " carries zxid "
                            + Zxid.hex(decoded.header().zxid()));
                }
                p = new Proposal(decoded.header(), decoded.txn(), null);
            }
            waiting.remove(e.zxid());
            delivered = e.zxid();
            listener.committed(p);
        }
    }

    /** TRUNC: the log (and any snapshot) must end at {@code zxid}; the state too if it went further. */
    private void truncate(long zxid) throws IOException {
        syncPending();
        log.close();
        // Snapshots first: a crash in between must not leave a snapshot of the dropped txns as the newest.
        deleteSnapshotsAfter(zxid);
        long removed = LogAccess.truncateAfter(storage.logDir(), zxid);
        log = storage.openLog();
        waiting.tailMap(zxid, false).clear();
        LOG.info("TRUNC: log truncated after {}: {} txns removed", Zxid.hex(zxid), removed);
        if (delivered > zxid) {
            Recovery.Result r = storage.recover();
            if (r.state().lastZxid() != zxid) {
                throw new StorageException("after truncating the log at " + Zxid.hex(zxid)
                        + " the state rebuilt from disk ends at " + Zxid.hex(r.state().lastZxid()));
            }
            delivered = zxid;
            listener.reset(r.state());
        }
    }

    /** SNAP: everything is replaced by the leader's snapshot at {@code zxid}. */
    private void install(long zxid, byte[] data) throws IOException {
        syncPending();
        log.close();
        // Cut the old history first: a crash before the snapshot is in place leaves an older
        // prefix (the leader syncs it again), never the new snapshot followed by stale txns.
        deleteSnapshotsAfter(zxid);
        LogAccess.truncateAfter(storage.logDir(), zxid);
        long installed = storage.installSnapshot(new ByteArrayInputStream(data));
        if (installed != zxid) {
            throw new StorageException("the leader's snapshot for " + Zxid.hex(zxid) + " holds " + Zxid.hex(installed));
        }
        log = storage.openLog();
        Path file = null;
        for (Path p : Recovery.snapshots(storage.snapshotDir())) {
            if (SnapshotFormat.zxidOf(p) == zxid) {
                file = p;
            }
        }
        if (file == null) {
            throw new StorageException("the installed snapshot " + Zxid.hex(zxid) + " is not in " + storage.snapshotDir());
        }
        StateMachine state = SnapshotReader.load(file, settings.extendedTypes());
        LOG.info("SNAP: installed the leader's snapshot at {} ({} bytes)", Zxid.hex(zxid), data.length);
        waiting.clear();
        delivered = zxid;
        listener.reset(state);
    }

    /** Makes pending appends durable without reporting them (the core forgets them at a TRUNC or SNAP). */
    private void syncPending() throws IOException {
        if (unsynced >= 0) {
            log.sync();
            unsynced = -1;
        }
    }

    private void deleteSnapshotsAfter(long zxid) throws IOException {
        boolean any = false;
        for (Path p : Recovery.snapshots(storage.snapshotDir())) {
            if (Long.compareUnsigned(SnapshotFormat.zxidOf(p), zxid) > 0) {
                LOG.info("deleting snapshot {}: it is beyond {}, where the leader's history and ours part", p,
                        Zxid.hex(zxid));
                Files.deleteIfExists(p);
                any = true;
            }
        }
        if (any) {
            DurableFiles.syncDirectory(storage.snapshotDir());
        }
    }

    private void roleChanged(Action.RoleChanged r) {
        long now = System.nanoTime();
        if (r.state() == ServerState.LOOKING) {
            if (lookingSinceNanos < 0) {
                lookingSinceNanos = now;
                metrics.lookingCount.increment();
            }
            LOG.info("LOOKING (currentEpoch {})", r.epoch());
        } else {
            String role = r.state() == ServerState.LEADING ? "LEADING" : r.state() + " " + r.leader();
            if (r.serving()) {
                if (lookingSinceNanos >= 0) {
                    lastElectionMs = (now - lookingSinceNanos) / 1_000_000;
                    lookingSinceNanos = -1;
                    metrics.electionTime.record(lastElectionMs);
                }
                LOG.info("{} in epoch {}, serving ({} ms after it started looking)", role, r.epoch(), lastElectionMs);
            } else {
                LOG.info("{}: synchronizing", role);
            }
        }
        listener.roleChanged(r.state(), r.leader(), r.epoch(), r.serving());
    }

    private void publish() {
        ReplicationStatus s = status;
        int[] sizes = s.proposalSizes();
        if (s.state() == core.state() && s.leader() == core.leader() && s.epoch() == core.currentEpoch()
                && s.learners() == core.learnerCount() && s.syncedFollowers() == core.syncedFollowers()
                && s.syncedObservers() == core.syncedObservers() && s.pendingSyncs() == core.pendingSyncs()
                && s.lastElectionMs() == lastElectionMs && sizes[0] == lastProposalSize
                && sizes[1] == minProposalSize && sizes[2] == maxProposalSize) {
            // Nothing an operator sees changed: no new status after every step.
            return;
        }
        status = new ReplicationStatus(false, core.state(), core.leader(), core.currentEpoch(), core.learnerCount(),
                core.syncedFollowers(), core.syncedObservers(), core.pendingSyncs(), lastElectionMs,
                lastProposalSize < 0 ? null : new int[] {lastProposalSize, minProposalSize, maxProposalSize});
    }

    /** Takes this server out of the ensemble: nothing more can be made durable here. */
    private void fail(Throwable cause, String what) {
        failed = true;
        stopping = true;
        LOG.error("{}: server {} stops taking part in the ensemble until restarted; the others carry on", what,
                settings.myId(), cause);
        List<Proposal> lost = new ArrayList<>(waiting.values());
        waiting.clear();
        for (Object o : queue) {
            if (o instanceof Input.Propose p && p.entry().local() instanceof Proposal own) {
                lost.add(own);
            }
        }
        queue.clear();
        ticker.shutdownNow();
        transport.close();
        status = new ReplicationStatus(false, ServerState.LOOKING, -1, core.currentEpoch(), 0, 0, 0, 0, lastElectionMs, null);
        try {
            // Out of the ensemble, this server's state goes stale at once: it stops serving clients.
            listener.roleChanged(ServerState.LOOKING, -1, core.currentEpoch(), false);
            listener.failed(cause, List.copyOf(lost));
        } catch (RuntimeException e) {
            LOG.error("the listener failed while told of the failure", e);
        }
        failure.complete(cause);
    }

    /**
     * Completed once this server has left the ensemble for good: its log, snapshot or epoch files
     * could not be written (a full or failing disk), or the zab core broke an invariant. It then
     * serves no one and can rejoin only through a restart, so the process owner stops the process.
     */
    public CompletableFuture<Throwable> failure() {
        return failure;
    }

    // ------------------------------------------------------------------ shutdown

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        stopping = true;
        ticker.shutdownNow();
        snapshotReader.shutdownNow();
        transport.close();
        queue.offer(WAKE);
        if (Thread.currentThread() == thread) {
            // Closed from a listener callback: the zab thread ends when the callback returns.
            return;
        }
        try {
            thread.join(10_000);
            if (thread.isAlive()) {
                LOG.warn("the zab thread did not stop within 10 s; interrupting it");
                thread.interrupt();
                thread.join(5_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("the zab thread is still running; leaving the log open");
            return;
        }
        closeLog();
    }

    private void closeLog() {
        try {
            log.close();
        } catch (IOException | RuntimeException e) {
            LOG.warn("closing the log: {}", e.toString());
        }
    }
}
