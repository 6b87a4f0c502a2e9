package io.paddock.server.core;

import io.paddock.protocol.ConnectRequest;
import io.paddock.protocol.ConnectResponse;
import io.paddock.protocol.Create2Response;
import io.paddock.protocol.CreateResponse;
import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.KeeperState;
import io.paddock.protocol.MultiRequest;
import io.paddock.protocol.MultiResponse;
import io.paddock.protocol.OpCode;
import io.paddock.protocol.OpResult;
import io.paddock.protocol.Perms;
import io.paddock.protocol.Record;
import io.paddock.protocol.ReplyHeader;
import io.paddock.protocol.SetACLResponse;
import io.paddock.protocol.SetDataResponse;
import io.paddock.protocol.WatcherEvent;
import io.paddock.protocol.Xid;
import io.paddock.server.auth.Acls;
import io.paddock.server.config.ServerConfig;
import io.paddock.server.prep.Prep;
import io.paddock.server.prep.PrepOutcome;
import io.paddock.server.session.LocalSession;
import io.paddock.server.session.SessionTracker;
import io.paddock.server.stats.BurstDetector;
import io.paddock.server.stats.Metrics;
import io.paddock.server.stats.RateLimitedLog;
import io.paddock.server.stats.ServerStats;
import io.paddock.server.storage.SnapshotWriter;
import io.paddock.server.storage.Storage;
import io.paddock.server.tree.SnapshotCursor;
import io.paddock.server.tree.Watcher;
import io.paddock.server.txn.ApplyResult;
import io.paddock.server.txn.Notification;
import io.paddock.server.txn.SessionTable;
import io.paddock.server.txn.StateMachine;
import io.paddock.server.txn.Txn;
import io.paddock.server.txn.TxnHeader;
import io.paddock.server.zab.Proposal;
import io.paddock.server.zab.ReplicationStatus;
import io.paddock.server.zab.Replicator;
import io.paddock.server.zab.ServerState;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's single state-machine thread. It owns the tree, the sessions and the watches, and
 * runs, in arrival order: prep of writes (handed to the replicator), apply of committed txns
 * (firing watches synchronously, so an event always precedes any later reply on its
 * connection), reads, and the replies, which leave each connection in request order.
 */
public final class Core implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Core.class);
    /** Events handled per batch before connections are flushed. */
    private static final int BATCH = 512;
    /** Nodes encoded per snapshot slice: small enough that requests never wait long behind one. */
    private static final int SNAPSHOT_SLICE = 2000;
    /**
     * Sessions expiring within one second that make a storm worth a warning: far more than
     * ordinary churn, typical of clients cut off together (a network split, a paused client host).
     */
    static final int EXPIRY_STORM_THRESHOLD = 100;

    private final ServerConfig config;
    private final Clock clock;
    private StateMachine sm;
    private Prep prep;
    private Reads reads;
    private final SessionTracker tracker;
    private final Replicator replicator;
    private final ServerStats stats;
    private final Metrics metrics;
    private final RateLimitedLog slowRequestLog = new RateLimitedLog(LOG, 60, TimeUnit.SECONDS);
    private final RateLimitedLog expiryStormLog = new RateLimitedLog(LOG, 60, TimeUnit.SECONDS);
    private final BurstDetector expiryStorm = new BurstDetector(EXPIRY_STORM_THRESHOLD);
    private final SecureRandom random = new SecureRandom();
    private final LinkedBlockingQueue<CoreEvent> queue = new LinkedBlockingQueue<>();
    private final Map<Connection, ConnState> conns = new HashMap<>();
    private final Set<Connection> dirty = new LinkedHashSet<>();
    private final Thread thread;
    private final Reaper reaper;
    private long lastProposed;
    private volatile boolean running = true;
    /** Part of an ensemble (else standalone: always serving, always the one who proposes). */
    private final boolean ensemble;
    private ServerState role = ServerState.LEADING;
    private boolean serving;
    /** On a learner: forwarded requests awaiting their commit or the leader's answer, per session. */
    private final Map<Long, ArrayDeque<InFlight>> forwarded = new HashMap<>();
    /** On a learner: handshakes waiting for their createSession txn (by session id). */
    private final Map<Long, PendingConnect> pendingConnects = new HashMap<>();
    /** On a learner: re-attaches of sessions not known here yet, waiting for the leader's barrier. */
    private final Map<Long, PendingConnect> revalidating = new HashMap<>();
    private long lastTouchReportMs;
    /** Connections whose next reply is a sync waiting for earlier proposals to apply. */
    private final Set<Connection> syncWaiting = new LinkedHashSet<>();
    /** A leader's replicator asked for a snapshot to send a learner. */
    private boolean snapshotWanted;
    /** cxid of the barrier a learner sends to revalidate a session it does not know yet. */
    private static final int REVALIDATE_CXID = Integer.MIN_VALUE;
    private Consumer<Throwable> onFatal = t -> { };

    /** Per-connection state owned by the core thread: the FIFO of requests awaiting their reply. */
    private static final class ConnState {
        final ArrayDeque<InFlight> fifo = new ArrayDeque<>();
        /** closeSession was received or the connection is going away: later requests are dropped. */
        boolean closing;
    }

    /** A handshake waiting for its createSession txn. */
    private record PendingConnect(Connection conn, ConnectRequest request, int timeoutMs) {
    }

    /** Takes snapshots; null for a server without storage. */
    private final Storage storage;
    private final java.util.Random snapRandom = new java.util.Random();
    private long txnsSinceSnapshot;
    private long snapshotThreshold;
    /** Nodes in the tree when the last snapshot was cut (or at recovery): scales the next threshold. */
    private long nodesAtLastSnapshot;
    private SnapshotCursor snapCursor;
    private SnapshotWriter snapWriter;
    /** Set once the log failed: reads go on, writes are refused until a restart. */
    private boolean writesDisabled;
    private Throwable storageFailure;

    public Core(ServerConfig config, Clock clock, StateMachine recovered, long replayedTxns, Replicator replicator,
                Storage storage, ServerStats stats) {
        this(config, 1, clock, recovered, replayedTxns, replicator, storage, stats);
    }

    /** A core whose session ids carry {@code serverId} in their top byte. */
    public Core(ServerConfig config, long serverId, Clock clock, StateMachine recovered, long replayedTxns,
                Replicator replicator, Storage storage, ServerStats stats) {
        this.config = config;
        this.clock = clock;
        this.sm = recovered;
        this.storage = storage;
        this.prep = new Prep(sm.tree(), config.skipAcl());
        this.reads = new Reads(sm.tree(), sm.watches(), config.skipAcl(), this::send);
        this.tracker = new SessionTracker((int) serverId, config.minSessionTimeoutMs(), config.maxSessionTimeoutMs(),
                clock.wallMs());
        this.ensemble = !replicator.status().standalone();
        this.serving = !ensemble;
        this.replicator = replicator;
        this.stats = stats;
        this.metrics = stats.metrics();
        this.reaper = new Reaper(config, clock);
        this.thread = new Thread(this::run, "paddock-core");
        this.thread.setDaemon(true);
        this.lastProposed = sm.lastZxid();
        // Sessions recovered from disk get a full timeout to come back before they expire.
        for (SessionTable.Entry e : sm.sessions().all().values()) {
            tracker.add(e.id(), e.timeoutMs(), clock.monotonicMs());
        }
        this.txnsSinceSnapshot = replayedTxns;
        this.nodesAtLastSnapshot = sm.tree().nodeCount();
        this.snapshotThreshold = nextSnapshotThreshold();
    }

    /**
     * snapCount/2 plus a random share of snapCount/2, so the servers of an ensemble do not snapshot
     * together (Apache's rule); and at least {@code paddock.snapTreePercent} of the nodes the last
     * snapshot held, so that a growing tree is not rewritten whole every snapCount txns.
     */
    private long nextSnapshotThreshold() {
        int half = Math.max(1, config.snapCount() / 2);
        long byCount = half + snapRandom.nextInt(half) + 1;
        return Math.max(byCount, nodesAtLastSnapshot * config.snapTreePercent() / 100);
    }

    /** What to do when an invariant breaks and the core stops: the process owner decides. */
    public void onFatal(Consumer<Throwable> handler) {
        this.onFatal = handler;
    }

    public void start() {
        replicator.start(new Replicator.Listener() {
            @Override
            public void committed(Proposal p) {
                queue.add(new CoreEvent.Committed(p));
            }

            @Override
            public void failed(Throwable cause, List<Proposal> lost) {
                queue.add(new CoreEvent.StorageFailed(cause, lost));
            }

            @Override
            public void roleChanged(ServerState state, long leader, long epoch, boolean isServing) {
                queue.add(new CoreEvent.Role(state, leader, epoch, isServing));
            }

            @Override
            public void requestReceived(long from, long link, byte[] payload) {
                queue.add(new CoreEvent.FromLearner(from, link, payload));
            }

            @Override
            public void replyReceived(byte[] payload) {
                queue.add(new CoreEvent.FromLeader(payload));
            }

            @Override
            public void reset(StateMachine state) {
                queue.add(new CoreEvent.Reset(state));
            }

            @Override
            public void snapshotWanted() {
                queue.add(new CoreEvent.Task(Core::onSnapshotWanted));
            }
        });
        thread.start();
    }

    // ---------------------------------------------------------------- entry points (any thread)

    public void connect(Connection conn, ConnectRequest request) {
        queue.add(new CoreEvent.Connect(conn, request));
    }

    /**
     * A request as it arrived: {@code identities} are the connection's identities at that moment
     * (an auth packet answered later must not change how an earlier request is judged).
     */
    public void request(Connection conn, List<io.paddock.protocol.Id> identities, int xid, int op, Record body,
                        int decodeError, long receivedNanos) {
        queue.add(new CoreEvent.Request(conn, identities, xid, op, body, decodeError, receivedNanos));
    }

    public void disconnected(Connection conn) {
        queue.add(new CoreEvent.Disconnected(conn));
    }

    public void tick() {
        queue.add(new CoreEvent.Tick());
    }

    /** Runs an action on the core thread (four-letter words read state this way). */
    public void runOnCore(Consumer<Core> action) {
        queue.add(new CoreEvent.Task(action));
    }

    /**
     * Computes on the core thread (one consistent view of the state); the future completes there,
     * with the value or with what the computation threw.
     */
    public <T> CompletableFuture<T> ask(java.util.function.Function<Core, T> query) {
        CompletableFuture<T> result = new CompletableFuture<>();
        runOnCore(c -> {
            try {
                result.complete(query.apply(c));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    // ---------------------------------------------------------------- read-only views for the 4lw (core thread)

    public StateMachine stateMachine() {
        return sm;
    }

    public SessionTracker sessions() {
        return tracker;
    }

    public ServerStats stats() {
        return stats;
    }

    public ServerConfig config() {
        return config;
    }

    /** Replication as operators see it (role, leader, followers). */
    public ReplicationStatus replication() {
        return replicator.status();
    }

    /** Whether this server serves clients now (an ensemble member only once it is synced to a leader). */
    public boolean serving() {
        return serving;
    }

    public Set<Connection> connections() {
        return Collections.unmodifiableSet(conns.keySet());
    }

    // ---------------------------------------------------------------- the loop

    private void run() {
        List<CoreEvent> batch = new ArrayList<>(BATCH);
        while (running) {
            try {
                CoreEvent first = snapCursor == null ? queue.poll(1, TimeUnit.SECONDS)
                        : queue.poll(snapWriter.hasRoom() ? 0 : 2, TimeUnit.MILLISECONDS);
                if (first == null) {
                    advanceSnapshot();
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                for (CoreEvent e : batch) {
                    handle(e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error e) {
                // An invariant broke: the state can no longer be trusted. Fail loudly and stop serving.
                LOG.error("core thread failed; the server stops serving", e);
                running = false;
                for (Connection c : conns.keySet()) {
                    c.abort();
                }
                onFatal.accept(e);
                return;
            } finally {
                batch.clear();
                flushDirty();
            }
            advanceSnapshot();
        }
    }

    private void handle(CoreEvent e) {
        if (e instanceof CoreEvent.Request r) {
            try {
                onRequest(r);
            } catch (RuntimeException ex) {
                // Serving one request went wrong (no state has changed yet: prep only reads, and a
                // read changes nothing but watches): that client loses its connection, nobody else.
                dropAfterFailure(r.conn(), ex);
            }
        } else if (e instanceof CoreEvent.Committed c) {
            onCommitted(c.proposal());
        } else if (e instanceof CoreEvent.Connect c) {
            onConnect(c.conn(), c.request());
        } else if (e instanceof CoreEvent.Disconnected d) {
            onDisconnected(d.conn());
        } else if (e instanceof CoreEvent.Tick) {
            onTick();
        } else if (e instanceof CoreEvent.Task t) {
            t.action().accept(this);
        } else if (e instanceof CoreEvent.StorageFailed f) {
            onStorageFailed(f.cause(), f.lost());
        } else if (e instanceof CoreEvent.Role r) {
            onRole(r.state(), r.epoch(), r.serving());
        } else if (e instanceof CoreEvent.FromLearner f) {
            try {
                onFromLearner(f.from(), f.link(), f.payload());
            } catch (RuntimeException ex) {
                LOG.warn("ignoring a malformed message from server {}: {}", f.from(), ex.toString());
            }
        } else if (e instanceof CoreEvent.FromLeader f) {
            onFromLeader(f.payload());
        } else if (e instanceof CoreEvent.Reset r) {
            onReset(r.state());
        } else if (e instanceof CoreEvent.Stop) {
            running = false;
        }
    }

    private void flushDirty() {
        for (Connection c : dirty) {
            c.flush();
        }
        dirty.clear();
    }

    void send(Connection conn, ReplyHeader header, Record body) {
        conn.send(header, body);
        dirty.add(conn);
    }

    // ---------------------------------------------------------------- handshake

    private void onConnect(Connection conn, ConnectRequest req) {
        if (!serving) {
            // Not synced to a leader: nothing can be served; the client tries another server.
            LOG.info("refusing {}: this server is not serving ({})", conn.remoteAddress(), role.mode());
            conn.abort();
            return;
        }
        if (req.lastZxidSeen() > sm.lastZxid()) {
            // The client has seen a newer state than ours: refuse silently so it tries another server.
            LOG.info("refusing {}: client has seen zxid 0x{} but this server is at 0x{}", conn.remoteAddress(),
                    Long.toHexString(req.lastZxidSeen()), Long.toHexString(sm.lastZxid()));
            conn.abort();
            return;
        }
        int timeout = tracker.negotiate(req.timeOut());
        conns.put(conn, new ConnState());
        if (req.sessionId() == 0) {
            if (writesDisabled) {
                LOG.warn("refusing a new session from {}: the log failed ({})", conn.remoteAddress(),
                        storageFailure.toString());
                conn.abort();
                return;
            }
            long id = tracker.nextSessionId();
            byte[] password = new byte[ConnectResponse.PASSWORD_LENGTH];
            random.nextBytes(password);
            PendingConnect pc = new PendingConnect(conn, req, timeout);
            if (isLearner()) {
                pendingConnects.put(id, pc);
                replicator.forward(LearnerMessages.request(id, 0, OpCode.CREATE_SESSION, List.of(),
                        out -> {
                            out.writeInt(timeout);
                            out.writeBuffer(password);
                        }));
            } else {
                propose(id, 0, new Txn.CreateSession(timeout, password), pc);
            }
            return;
        }
        attach(new PendingConnect(conn, req, timeout), true);
    }

    private boolean isLearner() {
        return role == ServerState.FOLLOWING || role == ServerState.OBSERVING;
    }

    /** Re-attaches a session; a learner that does not know it yet first waits for the leader's barrier. */
    private void attach(PendingConnect pc, boolean mayRevalidate) {
        Connection conn = pc.conn();
        ConnectRequest req = pc.request();
        int timeout = pc.timeoutMs();
        if (!conns.containsKey(conn)) {
            return;
        }
        SessionTable.Entry entry = sm.sessions().get(req.sessionId());
        if (entry == null && mayRevalidate && isLearner()) {
            // Created moments ago through another server: its txn may not have reached this one yet.
            revalidating.put(req.sessionId(), pc);
            replicator.forward(LearnerMessages.request(req.sessionId(), REVALIDATE_CXID, OpCode.SYNC, List.of(),
                    new io.paddock.protocol.SyncRequest("/")));
            return;
        }
        LocalSession session = tracker.get(req.sessionId());
        boolean valid = entry != null && session != null && !session.closing()
                && Arrays.equals(entry.password(), req.passwd());
        if (!valid) {
            conn.sendConnectResponse(ConnectResponse.invalidSession(false, req.readOnlyPresent()), null);
            dirty.add(conn);
            conns.get(conn).closing = true;
            return;
        }
        Connection previous = session.connection();
        if (previous != null && previous != conn) {
            // One connection per session: the client moved, so the old connection goes.
            previous.abort();
            ConnState old = conns.get(previous);
            if (old != null) {
                old.closing = true;
            }
        }
        session.attach(conn);
        session.setTimeoutMs(timeout);
        session.touch(clock.monotonicMs());
        conn.sendConnectResponse(new ConnectResponse(0, timeout, session.id(), entry.password(), false,
                req.readOnlyPresent()), session);
        dirty.add(conn);
    }

    private void completeConnect(PendingConnect pc, long sessionId) {
        if (!conns.containsKey(pc.conn())) {
            return;
        }
        SessionTable.Entry entry = sm.sessions().get(sessionId);
        LocalSession session = tracker.get(sessionId);
        ConnState cs = conns.get(pc.conn());
        if (cs == null || cs.closing) {
            // The client went away during the handshake; the session lives on until it expires.
            return;
        }
        session.attach(pc.conn());
        pc.conn().sendConnectResponse(new ConnectResponse(0, pc.timeoutMs(), sessionId, entry.password(), false,
                pc.request().readOnlyPresent()), session);
        dirty.add(pc.conn());
    }

    private void onDisconnected(Connection conn) {
        ConnState cs = conns.remove(conn);
        if (cs != null) {
            conn.discarded(cs.fifo.size());
        }
        sm.watches().removeAll(conn);
        LocalSession session = tracker.get(conn.sessionId());
        if (session != null && session.connection() == conn) {
            session.attach(null);
        }
        dirty.remove(conn);
    }

    // ---------------------------------------------------------------- requests

    private static boolean isRead(int op) {
        return switch (op) {
            case OpCode.PING, OpCode.EXISTS, OpCode.GET_DATA, OpCode.GET_ACL, OpCode.GET_CHILDREN, OpCode.GET_CHILDREN2,
                    OpCode.SYNC, OpCode.CHECK_WATCHES, OpCode.REMOVE_WATCHES, OpCode.MULTI_READ,
                    OpCode.SET_WATCHES, OpCode.SET_WATCHES2, OpCode.GET_EPHEMERALS,
                    OpCode.GET_ALL_CHILDREN_NUMBER, OpCode.ADD_WATCH, OpCode.WHO_AM_I -> true;
            default -> false;
        };
    }

    private static boolean isWrite(int op) {
        return switch (op) {
            case OpCode.CREATE, OpCode.CREATE2, OpCode.CREATE_CONTAINER, OpCode.CREATE_TTL, OpCode.DELETE,
                    OpCode.DELETE_CONTAINER, OpCode.SET_DATA, OpCode.SET_ACL, OpCode.MULTI -> true;
            default -> false;
        };
    }

    private void onRequest(CoreEvent.Request r) {
        Connection conn = r.conn();
        ConnState cs = conns.get(conn);
        if (cs == null || cs.closing) {
            // After closeSession (or once the connection is going) nothing more is answered.
            conn.discarded(1);
            return;
        }
        InFlight f = new InFlight(conn, r.identities(), r.xid(), r.op(), r.body(), r.receivedNanos(),
                InFlight.State.READ);
        LocalSession session = tracker.get(conn.sessionId());
        if (r.op() == OpCode.AUTH) {
            // The network thread already applied the credential; this is its reply, in order, zxid 0.
            f.ready(r.decodeError(), null);
            f.replyZxid = 0;
            if (r.decodeError() != 0) {
                f.closeAfter = true;
                cs.closing = true;
            }
        } else if (r.op() == OpCode.SASL) {
            // No SASL is configured: answered as Apache answers then, success with a null token.
            f.ready(0, new io.paddock.protocol.SetSASLResponse(null));
            f.replyZxid = 0;
        } else if (r.decodeError() != 0) {
            f.ready(r.decodeError(), null);
        } else if (session == null || session.closing()) {
            f.ready(ErrorCode.SESSION_EXPIRED.code(), null);
        } else if (r.op() == OpCode.SYNC && isLearner()) {
            forward(session.id(), f);
        } else if (r.op() == OpCode.SYNC) {
            // Answered once every write proposed before it (by any session) is applied.
            f.state = InFlight.State.READ;
            f.waitZxid = lastProposed;
        } else if (isRead(r.op())) {
            f.state = InFlight.State.READ;
        } else if (writesDisabled && (isWrite(r.op()) || r.op() == OpCode.CLOSE_SESSION)) {
            // The log failed: nothing can be made durable, so no write is attempted (reads still work).
            f.ready(ErrorCode.NOT_READ_ONLY.code(), null);
        } else if (r.op() == OpCode.CLOSE_SESSION) {
            session.markClosing();
            cs.closing = true;
            f.closeAfter = true;
            f.state = InFlight.State.AWAITING_COMMIT;
            if (isLearner()) {
                forward(session.id(), f);
            } else {
                proposeClose(session.id(), r.xid(), f);
            }
        } else if (r.op() == OpCode.RECONFIG) {
            f.ready((config.reconfigEnabled() ? ErrorCode.UNIMPLEMENTED : ErrorCode.RECONFIG_DISABLED).code(), null);
        } else if (isWrite(r.op()) && isLearner()) {
            forward(session.id(), f);
        } else if (isWrite(r.op())) {
            prepareWrite(conn, r, f);
        } else {
            // Not an op a client may send: answer as Apache does and drop the connection (the session lives).
            f.ready(ErrorCode.UNIMPLEMENTED.code(), null);
            f.replyZxid = -1;
            f.closeAfter = true;
            cs.closing = true;
        }
        cs.fifo.add(f);
        drain(conn, cs);
    }

    /** A learner hands a request to the leader; its commit (or the leader's answer) completes it. */
    private void forward(long sessionId, InFlight f) {
        f.state = InFlight.State.AWAITING_COMMIT;
        forwarded.computeIfAbsent(sessionId, k -> new ArrayDeque<>()).add(f);
        replicator.forward(LearnerMessages.request(sessionId, f.xid, f.op, f.identities, f.body));
    }

    private void prepareWrite(Connection conn, CoreEvent.Request r, InFlight f) {
        if (r.op() == OpCode.MULTI && ((MultiRequest) r.body()).ops().isEmpty()) {
            f.ready(0, new MultiResponse(List.of()));
            return;
        }
        PrepOutcome outcome = prep.prepare(r.op(), r.body(), conn.sessionId(), r.identities(), lastProposed + 1);
        if (outcome instanceof PrepOutcome.Accepted a) {
            f.state = InFlight.State.AWAITING_COMMIT;
            propose(conn.sessionId(), r.xid(), a.txn(), f);
        } else if (outcome instanceof PrepOutcome.Rejected rej) {
            f.ready(rej.err(), null);
        } else {
            f.ready(0, new MultiResponse(((PrepOutcome.MultiFailed) outcome).results()));
        }
    }

    private void proposeClose(long sessionId, int xid, Object origin) {
        Txn close = prep.prepareCloseSession(sessionId, lastProposed + 1);
        propose(sessionId, xid, close, origin);
    }

    private void propose(long sessionId, int xid, Txn txn, Object origin) {
        long zxid = ++lastProposed;
        replicator.propose(new Proposal(new TxnHeader(sessionId, xid, zxid, clock.wallMs()), txn, origin));
    }

    /** Sends every reply at the head of the connection's FIFO that is ready; stops at a pending write. */
    private void drain(Connection conn, ConnState cs) {
        ArrayDeque<InFlight> fifo = cs.fifo;
        while (!fifo.isEmpty()) {
            InFlight f = fifo.peek();
            if (f.waitZxid > sm.lastZxid()) {
                syncWaiting.add(conn);
                return;
            }
            if (f.state == InFlight.State.READ) {
                Reads.Answer a;
                try {
                    a = reads.execute(conn, f.identities, f.op, f.body);
                } catch (RuntimeException ex) {
                    dropAfterFailure(conn, ex);
                    return;
                }
                f.ready(a.err(), a.response());
            }
            if (f.state == InFlight.State.AWAITING_COMMIT) {
                return;
            }
            fifo.poll();
            reply(conn, f);
            if (f.closeAfter) {
                conn.discarded(fifo.size());
                fifo.clear();
                cs.closing = true;
                conn.close();
                return;
            }
        }
    }

    private void dropAfterFailure(Connection conn, RuntimeException ex) {
        LOG.error("a request from {} could not be served; closing that connection", conn.remoteAddress(), ex);
        ConnState cs = conns.get(conn);
        if (cs != null && !cs.closing) {
            cs.closing = true;
            conn.discarded(cs.fifo.size());
            cs.fifo.clear();
        }
        conn.abort();
    }

    private void reply(Connection conn, InFlight f) {
        long zxid = f.replyZxid != -2 ? f.replyZxid : sm.lastZxid();
        // A ping is answered in order like any request (clients may use it as a barrier), always with xid -2.
        int xid = f.op == OpCode.PING ? Xid.PING : f.xid;
        send(conn, new ReplyHeader(xid, zxid, f.err), f.err == 0 ? f.response : null);
        long latencyMs = (System.nanoTime() - f.receivedNanos) / 1_000_000;
        stats.latency(latencyMs);
        metrics.requestAnswered(f.op, latencyMs);
        if (latencyMs > config.slowRequestWarningMs()) {
            metrics.slowRequests.increment();
            slowRequestLog.warn("slow request: {} from {} answered after {} ms (over paddock.slowRequestWarningMs={});"
                    + " is the server overloaded, its disk slow, or the quorum far away?", OpCode.name(f.op),
                    conn.remoteAddress(), latencyMs, config.slowRequestWarningMs());
        }
        conn.replied(f.xid, f.op, zxid, latencyMs);
    }

    // ---------------------------------------------------------------- commits

    private void onCommitted(Proposal p) {
        TxnHeader h = p.header();
        List<Notification> events = new ArrayList<>();
        ApplyResult result = sm.apply(h, p.txn(), events);
        prep.appliedUpTo(h.zxid());
        if (++txnsSinceSnapshot >= snapshotThreshold) {
            startSnapshot();
        }
        if (p.txn() instanceof Txn.CreateSession c && tracker.get(h.sessionId()) == null) {
            tracker.add(h.sessionId(), c.timeoutMs(), clock.monotonicMs());
        }
        deliver(events);
        Object origin = p.origin();
        if (origin == null && isLearner()) {
            origin = forwardedOrigin(h, p.txn());
        }
        if (origin instanceof InFlight f) {
            metrics.propagationLatency.record((System.nanoTime() - f.receivedNanos) / 1_000_000);
            f.ready(0, responseFor(f.op, result));
            f.replyZxid = h.zxid();
            ConnState cs = conns.get(f.conn);
            if (cs != null) {
                drain(f.conn, cs);
            }
        } else if (origin instanceof PendingConnect pc) {
            completeConnect(pc, h.sessionId());
        }
        if (p.txn() instanceof Txn.CloseSession) {
            LocalSession session = tracker.get(h.sessionId());
            tracker.remove(h.sessionId());
            if (session != null && session.connection() != null && !(origin instanceof InFlight)) {
                session.connection().abort();
            }
        }
        if (!syncWaiting.isEmpty()) {
            List<Connection> waiting = List.copyOf(syncWaiting);
            syncWaiting.clear();
            for (Connection c : waiting) {
                ConnState cs = conns.get(c);
                if (cs != null) {
                    drain(c, cs);
                }
            }
        }
    }

    /** On a learner: the local request a committed txn answers, if it came from here. */
    private Object forwardedOrigin(TxnHeader h, Txn txn) {
        if (txn instanceof Txn.CreateSession) {
            return pendingConnects.remove(h.sessionId());
        }
        ArrayDeque<InFlight> q = forwarded.get(h.sessionId());
        if (q == null || q.isEmpty() || q.peek().xid != h.cxid()) {
            return null;
        }
        InFlight f = q.poll();
        if (q.isEmpty()) {
            forwarded.remove(h.sessionId());
        }
        return f;
    }

    private void deliver(List<Notification> events) {
        for (Notification n : events) {
            WatcherEvent event = new WatcherEvent(n.type(), KeeperState.SYNC_CONNECTED.code(), n.path());
            ReplyHeader header = new ReplyHeader(Xid.NOTIFICATION, n.zxid(), 0);
            for (Watcher w : n.watchers()) {
                Connection c = (Connection) w;
                // Events are filtered by the receiver's READ permission; the one-shot watch is spent anyway.
                if (Acls.allowed(n.acl(), Perms.READ, c.identities(), config.skipAcl())) {
                    send(c, header, event);
                }
            }
        }
    }

    private static Record responseFor(int op, ApplyResult r) {
        return switch (op) {
            case OpCode.CREATE -> new CreateResponse(r.path());
            case OpCode.CREATE2, OpCode.CREATE_CONTAINER, OpCode.CREATE_TTL -> new Create2Response(r.path(), r.stat());
            case OpCode.SET_DATA -> new SetDataResponse(r.stat());
            case OpCode.SET_ACL -> new SetACLResponse(r.stat());
            case OpCode.MULTI -> multiResponse(r);
            default -> null;
        };
    }

    private static MultiResponse multiResponse(ApplyResult r) {
        List<OpResult> out = new ArrayList<>(r.subResults().size());
        for (ApplyResult sub : r.subResults()) {
            Record body = switch (sub.type()) {
                case OpCode.CREATE -> new CreateResponse(sub.path());
                case OpCode.CREATE2 -> new Create2Response(sub.path(), sub.stat());
                case OpCode.SET_DATA -> new SetDataResponse(sub.stat());
                default -> null;
            };
            out.add(new OpResult(sub.type(), 0, body));
        }
        return new MultiResponse(out);
    }

    private void onStorageFailed(Throwable cause, List<Proposal> lost) {
        LOG.error("the write-ahead log failed: {}. Paddock now refuses writes and keeps serving reads;"
                + " free the disk or fix the I/O error, then restart the server.", cause.toString());
        writesDisabled = true;
        storageFailure = cause;
        prep.abandonPending();
        lastProposed = sm.lastZxid();
        for (Proposal p : lost) {
            // Whether these reached the disk is unknown: the client must not be told either way, so its
            // connection is closed (ConnectionLoss), which is what "outcome unknown" means in ZooKeeper.
            if (p.origin() instanceof InFlight f) {
                f.conn.abort();
            } else if (p.origin() instanceof PendingConnect pc) {
                pc.conn().abort();
            }
        }
    }

    // ---------------------------------------------------------------- snapshots

    private void startSnapshot() {
        if (storage == null || snapCursor != null || writesDisabled) {
            return;
        }
        if (!serving && !snapshotWanted) {
            // Not synced: the state may hold txns a leader will truncate; snapshot committed state only.
            return;
        }
        txnsSinceSnapshot = 0;
        nodesAtLastSnapshot = sm.tree().nodeCount();
        snapshotThreshold = nextSnapshotThreshold();
        replicator.rollLog();
        snapCursor = sm.tree().startSnapshot(sm.lastZxid());
        snapWriter = storage.beginSnapshot(sm.lastZxid(), List.copyOf(sm.sessions().all().values()),
                snapCursor.nodeCount());
        long snapshotStart = System.nanoTime();
        snapWriter.completion().whenComplete((path, failure) -> {
            if (failure == null) {
                metrics.snapshotTime.record((System.nanoTime() - snapshotStart) / 1_000_000);
            }
        });
        if (snapshotWanted) {
            handSnapshotToReplicator(snapWriter);
        }
        LOG.info("taking snapshot at 0x{} of {} nodes", Long.toHexString(sm.lastZxid()), snapCursor.nodeCount());
    }

    /** Encodes the next slice of the snapshot being taken, if the writer has room for it. */
    private void advanceSnapshot() {
        if (snapCursor == null || !snapWriter.hasRoom()) {
            return;
        }
        snapCursor.emit(SNAPSHOT_SLICE, snapWriter::add);
        if (snapCursor.done()) {
            snapWriter.finish();
            snapCursor = null;
            snapWriter = null;
        }
    }

    /**
     * Whether writes are refused because the log could not be written (a full or failing disk):
     * reads are still served, as by Apache's read-only server. Core thread only.
     */
    public boolean writesDisabled() {
        return writesDisabled;
    }

    /** Takes a snapshot now (tests and tools); false if one is already under way. */
    public boolean snapshotNow() {
        if (snapCursor != null) {
            return false;
        }
        startSnapshot();
        return snapCursor != null;
    }

    /**
     * A snapshot for an operator (the admin {@code snapshot} command): the one being written if
     * there is one, else a new one of the state as it is now. Completes with the snapshot file once
     * it is durable; the tree is cut here, on the core thread, and written off it. Core thread only.
     */
    public CompletableFuture<Path> takeSnapshot() {
        if (storage == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("this server keeps no snapshots"));
        }
        if (snapWriter == null) {
            startSnapshot();
        }
        if (snapWriter == null) {
            return CompletableFuture.failedFuture(new IllegalStateException(writesDisabled
                    ? "the log failed, so no snapshot can be taken until a restart" : "not serving clients"));
        }
        return snapWriter.completion();
    }

    private void onSnapshotWanted() {
        snapshotWanted = true;
        if (snapWriter != null) {
            handSnapshotToReplicator(snapWriter);
        } else {
            startSnapshot();
        }
    }

    private void handSnapshotToReplicator(SnapshotWriter w) {
        snapshotWanted = false;
        long zxid = w.zxid();
        w.completion().whenComplete((path, failure) -> {
            if (failure != null) {
                LOG.warn("the snapshot for a learner failed: {}", failure.toString());
            } else {
                replicator.snapshotTaken(zxid, path);
            }
        });
    }

    // ---------------------------------------------------------------- ensemble

    private void onRole(ServerState state, long epoch, boolean nowServing) {
        boolean wasServing = serving;
        ServerState was = role;
        role = state;
        serving = nowServing;
        if (wasServing && (!nowServing || was != state)) {
            stopServing();
        }
        if (nowServing && state == ServerState.LEADING) {
            // Every earlier commit is applied (they came before this event); the new epoch starts here.
            prep.abandonPending();
            lastProposed = io.paddock.server.zab.Zxid.make(epoch, 0);
            assert sm.lastZxid() <= lastProposed : "applied 0x" + Long.toHexString(sm.lastZxid()) + " beyond epoch " + epoch;
            long now = clock.monotonicMs();
            // Sessions get a full timeout from the new leader: their servers report them from now on.
            for (LocalSession s : tracker.all()) {
                s.touch(now);
            }
        }
    }

    /** Lost the leader or the quorum: every client goes, so each reconnects to a server that serves. */
    private void stopServing() {
        for (Map.Entry<Connection, ConnState> e : conns.entrySet()) {
            e.getValue().closing = true;
            e.getKey().abort();
        }
        pendingConnects.clear();
        revalidating.clear();
        forwarded.clear();
        syncWaiting.clear();
        prep.abandonPending();
        lastProposed = sm.lastZxid();
    }

    private void onReset(StateMachine state) {
        assert !serving : "state replaced while serving";
        if (snapCursor != null) {
            // Finish the snapshot of the old state before it goes (its writer waits for every node).
            while (!snapCursor.done()) {
                snapCursor.emit(SNAPSHOT_SLICE, snapWriter::add);
            }
            snapWriter.finish();
            snapCursor = null;
            snapWriter = null;
        }
        sm = state;
        prep = new Prep(sm.tree(), config.skipAcl());
        reads = new Reads(sm.tree(), sm.watches(), config.skipAcl(), this::send);
        lastProposed = sm.lastZxid();
        for (LocalSession s : List.copyOf(tracker.all())) {
            tracker.remove(s.id());
        }
        long now = clock.monotonicMs();
        for (SessionTable.Entry e : sm.sessions().all().values()) {
            tracker.add(e.id(), e.timeoutMs(), now);
        }
        LOG.info("state replaced: now at zxid 0x{}", Long.toHexString(sm.lastZxid()));
    }

    /** On the leader: a learner forwarded a client's request or reported live sessions. */
    private void onFromLearner(long from, long link, byte[] payload) {
        Object m = LearnerMessages.decodeFromLearner(payload);
        long now = clock.monotonicMs();
        if (m instanceof List<?> touched) {
            for (Object id : touched) {
                LocalSession s = tracker.get((Long) id);
                if (s != null) {
                    s.touch(now);
                }
            }
            return;
        }
        if (!serving || role != ServerState.LEADING) {
            return;
        }
        LearnerMessages.Request r = (LearnerMessages.Request) m;
        LocalSession session = tracker.get(r.sessionId());
        if (session != null) {
            session.touch(now);
        }
        if (r.op() == OpCode.CREATE_SESSION) {
            io.paddock.protocol.JuteInput in = new io.paddock.protocol.JuteInput(r.body());
            int timeout = in.readInt();
            byte[] password = in.readBuffer();
            if (writesDisabled) {
                answer(from, link, r, ErrorCode.NOT_READ_ONLY.code(), null);
            } else if (session == null) {
                propose(r.sessionId(), 0, new Txn.CreateSession(timeout, password), null);
            }
            return;
        }
        if (r.op() == OpCode.SYNC) {
            answer(from, link, r, 0, new io.paddock.protocol.SyncResponse(
                    io.paddock.protocol.SyncRequest.readFrom(new io.paddock.protocol.JuteInput(r.body())).path()));
            return;
        }
        if (session == null || (session.closing() && r.op() != OpCode.CLOSE_SESSION)) {
            answer(from, link, r, ErrorCode.SESSION_EXPIRED.code(), null);
            return;
        }
        if (writesDisabled) {
            answer(from, link, r, ErrorCode.NOT_READ_ONLY.code(), null);
            return;
        }
        if (r.op() == OpCode.CLOSE_SESSION) {
            if (!session.closing()) {
                session.markClosing();
                proposeClose(r.sessionId(), r.cxid(), null);
            }
            return;
        }
        Record body;
        try {
            body = io.paddock.server.net.RequestDecoder.decode(r.op(), new io.paddock.protocol.JuteInput(r.body()));
        } catch (RuntimeException e) {
            answer(from, link, r, ErrorCode.MARSHALLING_ERROR.code(), null);
            return;
        }
        if (r.op() == OpCode.MULTI && ((MultiRequest) body).ops().isEmpty()) {
            answer(from, link, r, 0, new MultiResponse(List.of()));
            return;
        }
        PrepOutcome outcome = prep.prepare(r.op(), body, r.sessionId(), r.identities(), lastProposed + 1);
        if (outcome instanceof PrepOutcome.Accepted a) {
            propose(r.sessionId(), r.cxid(), a.txn(), null);
        } else if (outcome instanceof PrepOutcome.Rejected rej) {
            answer(from, link, r, rej.err(), null);
        } else {
            answer(from, link, r, 0, new MultiResponse(((PrepOutcome.MultiFailed) outcome).results()));
        }
    }

    private void answer(long learner, long link, LearnerMessages.Request r, int err, Record response) {
        replicator.reply(learner, link, LearnerMessages.answer(r.sessionId(), r.cxid(), err, response));
    }

    /** On a learner: the leader answered a forwarded request that did not become a txn. */
    private void onFromLeader(byte[] payload) {
        LearnerMessages.Answer a = LearnerMessages.decodeAnswer(payload);
        if (a.cxid() == REVALIDATE_CXID) {
            PendingConnect pc = revalidating.remove(a.sessionId());
            if (pc != null) {
                attach(pc, false);
            }
            return;
        }
        if (a.cxid() == 0 && pendingConnects.containsKey(a.sessionId())) {
            pendingConnects.remove(a.sessionId()).conn().abort();
            return;
        }
        ArrayDeque<InFlight> q = forwarded.get(a.sessionId());
        if (q == null || q.isEmpty() || q.peek().xid != a.cxid()) {
            return;
        }
        InFlight f = q.poll();
        if (q.isEmpty()) {
            forwarded.remove(a.sessionId());
        }
        Record response = null;
        if (a.response() != null) {
            io.paddock.protocol.JuteInput in = new io.paddock.protocol.JuteInput(a.response());
            response = f.op == OpCode.SYNC ? io.paddock.protocol.SyncResponse.readFrom(in) : MultiResponse.readFrom(in);
        }
        f.ready(a.err(), response);
        ConnState cs = conns.get(f.conn);
        if (cs != null) {
            drain(f.conn, cs);
        }
    }

    /** On a learner: tells the leader which sessions had client activity here since the last report. */
    private void reportSessions() {
        long since = lastTouchReportMs;
        lastTouchReportMs = clock.monotonicMs();
        List<Long> alive = new ArrayList<>();
        for (LocalSession s : tracker.all()) {
            if (s.connection() != null || s.lastTouchMs() >= since) {
                alive.add(s.id());
            }
        }
        if (!alive.isEmpty()) {
            replicator.forward(LearnerMessages.touch(alive));
        }
    }

    // ---------------------------------------------------------------- time

    private void onTick() {
        if (writesDisabled || !serving) {
            // Expiry and reaping are writes; sessions simply stay until the server is restarted.
            return;
        }
        if (isLearner()) {
            // Only the leader expires sessions and reaps nodes; a learner tells it who is alive.
            reportSessions();
            return;
        }
        long now = clock.monotonicMs();
        List<LocalSession> expired = tracker.expired(now);
        if (!expired.isEmpty()) {
            metrics.sessionsExpired.add(expired.size());
            if (expiryStorm.event(expired.size())) {
                expiryStormLog.warn("session expiry storm: {} or more sessions expired within a second; clients"
                        + " lost contact together (a network split, a paused client host, an overloaded server?)",
                        EXPIRY_STORM_THRESHOLD);
            }
        }
        for (LocalSession s : expired) {
            LOG.info("expiring session 0x{}: no client contact for {} ms", Long.toHexString(s.id()), s.timeoutMs());
            s.markClosing();
            if (s.connection() != null) {
                ConnState cs = conns.get(s.connection());
                if (cs != null) {
                    cs.closing = true;
                }
                s.connection().abort();
            }
            proposeClose(s.id(), 0, null);
        }
        for (String path : reaper.due(sm.tree())) {
            Txn delete = prep.prepareReap(path, lastProposed + 1);
            if (delete != null) {
                propose(0, 0, delete, null);
            }
        }
    }

    @Override
    public void close() {
        queue.add(new CoreEvent.Stop());
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        replicator.close();
    }
}
