package io.paddock.server.core;

import io.paddock.protocol.Create2Response;
import io.paddock.protocol.CreateMode;
import io.paddock.protocol.CreateRequest;
import io.paddock.protocol.CreateResponse;
import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.KeeperState;
import io.paddock.protocol.MultiOp;
import io.paddock.protocol.MultiRequest;
import io.paddock.protocol.MultiResponse;
import io.paddock.protocol.OpCode;
import io.paddock.protocol.OpKind;
import io.paddock.protocol.OpResult;
import io.paddock.protocol.Perms;
import io.paddock.protocol.Record;
import io.paddock.protocol.ReplyHeader;
import io.paddock.protocol.SetACLResponse;
import io.paddock.protocol.SetDataResponse;
import io.paddock.protocol.SetSASLResponse;
import io.paddock.protocol.WatcherEvent;
import io.paddock.protocol.Xid;
import io.paddock.server.auth.Acls;
import io.paddock.server.core.ClientTable.ConnState;
import io.paddock.server.config.ServerConfig;
import io.paddock.server.audit.AuditLog;
import io.paddock.server.prep.Prep;
import io.paddock.server.prep.QuotaGuard;
import io.paddock.server.session.LocalSession;
import io.paddock.server.session.SessionTracker;
import io.paddock.server.stats.BurstDetector;
import io.paddock.server.stats.Metrics;
import io.paddock.server.stats.RateLimitedLog;
import io.paddock.server.stats.ServerStats;
import io.paddock.server.storage.Storage;
import io.paddock.server.tree.Watcher;
import io.paddock.server.txn.ApplyResult;
import io.paddock.server.txn.Notification;
import io.paddock.server.txn.SessionTable;
import io.paddock.server.txn.StateMachine;
import io.paddock.server.config.DynamicConfig;
import io.paddock.server.txn.Txn;
import io.paddock.server.txn.TxnHeader;
import io.paddock.server.replication.Proposal;
import io.paddock.server.replication.Replicator;
import io.paddock.server.zab.ServerState;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's core as one deterministic step: it owns the tree, the sessions and the watches, and
 * handles one {@link CoreEvent} at a time (a client's handshake, request or disconnection, a
 * commit, a role change, a learner's or the leader's message, a tick): prep of writes (handed to
 * the replicator), apply of committed txns (firing watches synchronously, so an event always
 * precedes any later reply on its connection), reads, and the replies, which leave each
 * connection in request order. Its outputs are its calls on the {@link Connection}s and the
 * {@link Replicator}, in order; replies are buffered per connection until {@link #flush()}.
 * No thread of its own: {@link Core} drives it on the core thread, a simulation drives it directly.
 *
 * <p>It hands the parts with a job of their own to: {@link Handshake} (a client's new session or
 * re-attach), {@link LeaderDesk} (on a leader: what learners forward, and who holds each session),
 * {@link Forwarded} (on a learner: what it forwarded and waits for), {@link Snapshots},
 * {@link Reads}; {@link ClientTable} holds the connections and {@link Standing} the role.
 */
public final class CoreStep {
    private static final Logger LOG = LoggerFactory.getLogger(CoreStep.class);
    /**
     * Sessions expiring within one second that make a storm worth a warning: far more than
     * ordinary churn, typical of clients cut off together (a network split, a paused client host).
     */
    static final int EXPIRY_STORM_THRESHOLD = 100;

    private final ServerConfig config;
    /** This server's id in its ensemble (1 standalone): what a leader records as a session's owner. */
    private final long myId;
    private final Clock clock;
    private StateMachine sm;
    private Prep prep;
    private Reads reads;
    private final SessionTracker tracker;
    private final Replicator replicator;
    private final ServerStats stats;
    private final Metrics metrics;
    private final QuotaGuard quotaGuard;
    private final AuditLog audit;
    private final RateLimitedLog slowRequestLog = new RateLimitedLog(LOG, 60, TimeUnit.SECONDS);
    private final RateLimitedLog expiryStormLog = new RateLimitedLog(LOG, 60, TimeUnit.SECONDS);
    private final BurstDetector expiryStorm = new BurstDetector(EXPIRY_STORM_THRESHOLD);
    private final ClientTable clients = new ClientTable();
    private final Reaper reaper;
    private final Snapshots snapshots;
    private final Proposer proposer;
    private final Standing standing;
    private final LeaderDesk desk;
    private final Handshake handshake;
    private final ReadOnlyService readOnly;
    /** Sessions this member made for itself alone: local sessions, and those made while read-only. */
    private final MemberSessions memberSessions;
    /** On a learner: what it handed to the leader and waits for. */
    private final Forwarded forwarded = new Forwarded();
    private long lastTouchReportMs;
    /** Connections whose next reply is a sync waiting for earlier proposals to apply. */
    private final Set<Connection> syncWaiting = new LinkedHashSet<>();
    /** A restore under way (standalone only), or null. */
    private PendingRestore restoring;

    /**
     * A core whose session ids carry {@code serverId} in their top byte. Given the same clock readings,
     * the same {@code random} and the same events, it makes the same calls in the same order.
     */
    public CoreStep(ServerConfig config, long serverId, Clock clock, Random random, StateMachine recovered,
                    long replayedTxns, Replicator replicator, Storage storage, ServerStats stats) {
        this.config = config;
        this.myId = serverId;
        this.clock = clock;
        this.sm = recovered;
        this.audit = new AuditLog(config.quotaAudit().auditEnabled());
        this.quotaGuard = new QuotaGuard(config.quotaAudit().enforceQuota(), stats.metrics()::quotaExceeded);
        this.prep = new Prep(sm.tree(), config.skipAcl(), quotaGuard);
        this.reads = new Reads(sm.tree(), sm.watches(), config.skipAcl(), config.maxWatchesPerSession(), this::send);
        this.tracker = new SessionTracker((int) serverId, config.minSessionTimeoutMs(), config.maxSessionTimeoutMs(),
                clock.wallMs());
        // Apache waits max(2 s, tickTime) of looking before it calls itself partitioned.
        this.standing = new Standing(!replicator.status().standalone(), config.readOnlyModeEnabled(),
                Math.max(2000, config.tickTimeMs()));
        this.replicator = replicator;
        this.stats = stats;
        this.metrics = stats.metrics();
        this.reaper = new Reaper(config, clock);
        this.proposer = new Proposer(replicator, clock, sm.lastZxid());
        // Local sessions belong to ensembles (a standalone server has no txn to save).
        boolean localSessions = config.localSessions().enabled() && !replicator.status().standalone();
        this.desk = new LeaderDesk(serverId, standing, tracker, clients, proposer, replicator, clock, localSessions);
        this.memberSessions = new MemberSessions(tracker, random);
        this.readOnly = new ReadOnlyService(standing, clients, tracker, clock, memberSessions);
        this.handshake = new Handshake(serverId, standing, clients, tracker, forwarded, proposer, replicator, desk,
                readOnly, memberSessions, localSessions, clock, random);
        // Sessions recovered from disk get a full timeout to come back before they expire.
        for (SessionTable.Entry e : sm.sessions().all().values()) {
            tracker.add(e.id(), e.timeoutMs(), clock.monotonicMs());
        }
        this.snapshots = new Snapshots(config, storage, replicator, metrics, random, replayedTxns,
                sm.tree().nodeCount());
        publishMembership();
    }

    /** In an ensemble, {@code /zookeeper/config} shows its members, on every member (as Apache's do). */
    private void publishMembership() {
        if (config.ensemble()) {
            DynamicConfig membership = new DynamicConfig(config.peers(), 0);
            sm.tree().setConfig(membership.bytes(), membership.version(), clock.wallMs());
        }
    }

    // ---------------------------------------------------------------- read-only views

    public StateMachine stateMachine() {
        return sm;
    }

    /** Sessions this member made for itself alone (local sessions); safe from any thread. */
    public int localSessionCount() {
        return memberSessions.size();
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

    /** Whether this server serves clients now (an ensemble member only once it is synced to a leader). */
    public boolean serving() {
        return standing.serving();
    }

    /** Whether this member, without a quorum, serves clients that asked for read-only (readonlymode.enabled). */
    public boolean readOnly() {
        return standing.readOnly();
    }

    public Set<Connection> connections() {
        return clients.all();
    }

    // ---------------------------------------------------------------- the step

    /**
     * Handles one event. A request that cannot be served costs its connection only; anything else
     * that throws is a broken invariant, and the state can no longer be trusted: the driver stops.
     */
    public void handle(CoreEvent e) {

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
            handshake.connect(c.conn(), c.request(), sm.sessions(), sm.lastZxid());
        } else if (e instanceof CoreEvent.Disconnected d) {
            onDisconnected(d.conn());
        } else if (e instanceof CoreEvent.Tick) {
            onTick();
        } else if (e instanceof CoreEvent.SnapshotWanted) {
            onSnapshotWanted();
        } else if (e instanceof CoreEvent.StorageFailed f) {
            onStorageFailed(f.cause(), f.lost());
        } else if (e instanceof CoreEvent.Role r) {
            onRole(r.state(), r.epoch(), r.serving());
        } else if (e instanceof CoreEvent.FromLearner f) {
            try {
                desk.fromLearner(f.from(), f.link(), f.payload(), sm.sessions(), prep);
            } catch (RuntimeException ex) {
                LOG.warn("ignoring a malformed message from server {}: {}", f.from(), ex.toString());
            }
        } else if (e instanceof CoreEvent.FromLeader f) {
            onFromLeader(f.payload());
        } else if (e instanceof CoreEvent.Reset r) {
            onReset(r.state());
        } else {
            throw new IllegalArgumentException("not an event of the step: " + e);
        }
    }

    /** Writes out every reply and notification buffered since the last flush (once per batch of events). */
    public void flush() {
        clients.flush();
    }

    void send(Connection conn, ReplyHeader header, Record body) {
        clients.send(conn, header, body);
    }

    /** Work between events: the next slice of a snapshot under way. */
    public void idle() {
        snapshots.advance();
    }

    /** How long the driver may wait for the next event before {@link #idle()} has work (-1: as long as it likes). */
    public long idleWaitMs() {
        return !snapshots.underWay() ? -1 : snapshots.hasRoom() ? 0 : 2;
    }

    /** The step failed: every client loses its connection at once. */
    public void abortAll() {
        clients.abortAll();
    }

    // ---------------------------------------------------------------- handshake

    private void onDisconnected(Connection conn) {
        ConnState cs = clients.remove(conn);
        if (cs != null) {
            conn.discarded(cs.fifo.size());
        }
        sm.watches().removeAll(conn);
    }

    // ---------------------------------------------------------------- requests

    private void onRequest(CoreEvent.Request r) {
        Connection conn = r.conn();
        ConnState cs = clients.get(conn);
        if (cs == null || cs.closing) {
            // After closeSession (or once the connection is going) nothing more is answered.
            conn.discarded(1);
            return;
        }
        InFlight f = new InFlight(conn, r.identities(), r.xid(), r.op(), r.body(), r.receivedNanos(),
                InFlight.State.READ);
        LocalSession session = tracker.get(conn.sessionId());
        OpKind kind = OpKind.of(r.op());
        if (r.op() == OpCode.AUTH) {
            // The network thread already applied the credential; this is its reply, in order, zxid 0.
            f.ready(r.decodeError(), null);
            f.replyZxid = 0;
            if (r.decodeError() != 0) {
                f.closeAfter = true;
                cs.closing = true;
            }
        } else if (r.op() == OpCode.SASL) {
            // The network thread evaluated the token (ClientConnection); this is its answer, in order,
            // zxid 0. A failed exchange closes the connection, as Apache's does.
            f.ready(r.decodeError(), r.body() != null ? r.body() : new SetSASLResponse(null));
            f.replyZxid = 0;
            if (r.decodeError() != 0) {
                f.closeAfter = true;
                cs.closing = true;
            }
        } else if (r.decodeError() == ErrorCode.SESSION_CLOSED_REQUIRE_SASL_AUTH.code()) {
            // Refused by enforced authentication (ClientConnection): answered, then the connection closes.
            f.ready(r.decodeError(), null);
            f.replyZxid = 0;
            f.closeAfter = true;
            cs.closing = true;
        } else if (r.decodeError() != 0) {
            f.ready(r.decodeError(), null);
        } else if (session == null || (session.closing() && (standing.learner() || !kind.changesState()))) {
            // A leader refuses a closing session's writes with an error txn (see refusal), so that the
            // refusal comes only once the close is committed.
            f.ready(ErrorCode.SESSION_EXPIRED.code(), null);
        } else if (standing.writesDisabled() && kind.changesState()) {
            // The log failed: nothing can be made durable, so no write is attempted (reads still work).
            f.ready(ErrorCode.NOT_READ_ONLY.code(), null);
        } else if (standing.readOnly() && kind != OpKind.READ && kind != OpKind.UNKNOWN) {
            // No quorum: only reads are served; a session created here may end, nothing else changes.
            if (kind == OpKind.CLOSE) {
                f.ready(readOnly.close(session), null);
                f.closeAfter = true;
                cs.closing = true;
            } else {
                f.ready(ErrorCode.NOT_READ_ONLY.code(), null);
            }
        } else {
            switch (kind) {
                case READ -> f.state = InFlight.State.READ;
                case SYNC -> {
                    if (standing.learner()) {
                        forward(session.id(), f);
                    } else if (!standing.confirmsByBarrier()) {
                        // Answered once every write proposed before it is applied: a standalone server
                        // cannot be deposed (and answers as Apache's, with no txn); one whose log failed
                        // can commit nothing.
                        f.waitZxid = proposer.last();
                    } else {
                        // A barrier txn: its commit proves this leader still leads (see Txn.Barrier).
                        f.state = InFlight.State.AWAITING_COMMIT;
                        propose(session.id(), f.xid, new Txn.Barrier(), f);
                    }
                }
                case WRITE -> {
                    if (memberSessions.contains(session.id()) && createsEphemeral(r.op(), r.body())) {
                        if (!config.localSessions().upgrading()) {
                            // As Apache: a session known to one server cannot own what outlives its client there.
                            f.ready(ErrorCode.EPHEMERAL_ON_LOCAL_SESSION.code(), null);
                            break;
                        }
                        upgrade(session);
                    }
                    if (standing.learner()) {
                        forward(session.id(), f);
                    } else {
                        prepareWrite(conn, r, f);
                    }
                }
                case CLOSE -> {
                    if (memberSessions.close(session.id())) {
                        // A local session ends here: the ensemble never knew it.
                        clients.detach(session.id());
                        f.ready(0, null);
                        f.closeAfter = true;
                        cs.closing = true;
                    } else {
                        closeSession(session, cs, f);
                    }
                }
                case RECONFIG -> f.ready((config.reconfigEnabled() ? ErrorCode.UNIMPLEMENTED
                        : ErrorCode.RECONFIG_DISABLED).code(), null);
                default -> {
                    // Not an op a client may send: answer as Apache does and drop the connection (the session lives).
                    f.ready(ErrorCode.UNIMPLEMENTED.code(), null);
                    f.replyZxid = -1;
                    f.closeAfter = true;
                    cs.closing = true;
                }
            }
        }
        cs.fifo.add(f);
        drain(conn, cs);
    }

    /** Whether a write creates an ephemeral node (a create, or a multi holding one). */
    private static boolean createsEphemeral(int op, Record body) {
        if (body instanceof CreateRequest c) {
            CreateMode mode = CreateMode.fromFlag(c.flags());
            return (op == OpCode.CREATE || op == OpCode.CREATE2) && mode != null && mode.isEphemeral();
        }
        if (body instanceof MultiRequest m) {
            for (MultiOp o : m.ops()) {
                if (createsEphemeral(o.type(), o.request())) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * A local session's first ephemeral: the session becomes the ensemble's, by a createSession txn
     * with its id, timeout and password, proposed (or forwarded) ahead of the write, so the write
     * applies after it everywhere. The client is not told; it may now move to any server.
     */
    private void upgrade(LocalSession session) {
        byte[] password = memberSessions.promote(session.id());
        LOG.info("upgrading local session 0x{}: it creates an ephemeral node", Long.toHexString(session.id()));
        if (standing.learner()) {
            replicator.forward(LearnerMessages.request(session.id(), 0, OpCode.CREATE_SESSION, List.of(), out -> {
                out.writeInt(session.timeoutMs());
                out.writeBuffer(password);
            }));
        } else {
            propose(session.id(), 0, new Txn.CreateSession(session.timeoutMs(), password), null);
        }
    }

    /** The client ends its session: the connection closes once the close (or its refusal) is answered. */
    private void closeSession(LocalSession session, ConnState cs, InFlight f) {
        cs.closing = true;
        f.closeAfter = true;
        f.state = InFlight.State.AWAITING_COMMIT;
        if (standing.learner()) {
            session.markClosing();
            forward(session.id(), f);
            return;
        }
        int refused = desk.refusal(session, myId, -1);
        if (refused != 0) {
            desk.proposeRefusal(session.id(), f.xid, refused, f, myId, -1);
        } else {
            session.markClosing();
            proposeClose(session.id(), f.xid, f);
        }
    }

    /** A learner hands a request to the leader; its commit (or the leader's answer) completes it. */
    private void forward(long sessionId, InFlight f) {
        f.state = InFlight.State.AWAITING_COMMIT;
        forwarded.request(sessionId, f);
        replicator.forward(LearnerMessages.request(sessionId, f.xid, f.op, f.identities, f.body));
    }

    private void prepareWrite(Connection conn, CoreEvent.Request r, InFlight f) {
        if (r.op() == OpCode.MULTI && ((MultiRequest) r.body()).ops().isEmpty()) {
            f.ready(0, new MultiResponse(List.of()));
            return;
        }
        f.state = InFlight.State.AWAITING_COMMIT;
        int refused = desk.refusal(tracker.get(conn.sessionId()), myId, -1);
        if (refused != 0) {
            desk.proposeRefusal(conn.sessionId(), r.xid(), refused, f, myId, -1);
            return;
        }
        propose(conn.sessionId(), r.xid(), prep.prepare(r.op(), r.body(), conn.sessionId(), r.identities(),
                proposer.next()).asTxn(), f);
    }

    private void proposeClose(long sessionId, int xid, Object origin) {
        Txn close = prep.prepareCloseSession(sessionId, proposer.next());
        propose(sessionId, xid, close, origin);
    }

    private void propose(long sessionId, int xid, Txn txn, Object origin) {
        proposer.propose(sessionId, xid, txn, origin);
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
        ConnState cs = clients.get(conn);
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
        // A failed sasl still carries its (null) token: Apache's client reads one while it authenticates.
        send(conn, new ReplyHeader(xid, zxid, f.err), f.err == 0 || f.op == OpCode.SASL ? f.response : null);
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
        // After the reply is queued: the result is decided, and the client does not wait for this line.
        audit.answered(conn.sessionId(), f.identities, f.op, f.body, f.err, f.response);
    }

    // ---------------------------------------------------------------- commits

    private void onCommitted(Proposal p) {
        TxnHeader h = p.header();
        List<Notification> events = new ArrayList<>();
        List<String> closing = audit.enabled() && p.txn() instanceof Txn.CloseSession
                ? List.copyOf(sm.tree().ephemeralsOf(h.sessionId())) : List.of();
        ApplyResult result = sm.apply(h, p.txn(), events);
        prep.appliedUpTo(h.zxid());
        for (String path : closing) {
            audit.ephemeralDeleted(h.sessionId(), path);
        }
        if (snapshots.due()) {
            startSnapshot();
        }
        if (p.txn() instanceof Txn.CreateSession c && tracker.get(h.sessionId()) == null) {
            tracker.add(h.sessionId(), c.timeoutMs(), clock.monotonicMs());
        }
        deliver(events);
        Object origin = p.origin();
        if (origin == null && standing.learner()) {
            origin = forwardedOrigin(h, p.txn());
        }
        if (origin instanceof InFlight f) {
            metrics.propagationLatency.record((System.nanoTime() - f.receivedNanos) / 1_000_000);
            if (p.txn() instanceof Txn.Barrier) {
                f.ready(0, new io.paddock.protocol.SyncResponse(((io.paddock.protocol.SyncRequest) f.body).path()));
            } else if (p.txn() instanceof Txn.Error refused) {
                f.ready(refused.err(), null);
            } else if (p.txn() instanceof Txn.FailedMulti failed) {
                f.ready(0, failedMultiResponse(failed));
            } else {
                f.ready(0, responseFor(f.op, result));
            }
            f.replyZxid = h.zxid();
            drainFor(f);
        } else if (origin instanceof PendingConnect pc) {
            if (p.txn() instanceof Txn.Barrier) {
                handshake.attach(pc, true, sm.sessions());
            } else {
                handshake.created(pc, h.sessionId(), sm.sessions());
            }
        } else if (origin instanceof LeaderDesk.Revalidation rv) {
            desk.revalidated(rv, sm.sessions());
        } else if (origin instanceof LeaderDesk.MovedAway m) {
            movedAway(m, h.zxid());
        } else if (origin instanceof LeaderDesk.CreatedThrough c) {
            // The session is held from its start: a client that re-attaches it elsewhere moves it.
            desk.claim(tracker.get(h.sessionId()), c.from(), c.link());
        }
        if (p.txn() instanceof Txn.CloseSession) {
            tracker.remove(h.sessionId());
            Connection conn = clients.detach(h.sessionId());
            if (conn != null && !(origin instanceof InFlight)) {
                conn.abort();
            }
        }
        if (!syncWaiting.isEmpty()) {
            List<Connection> waiting = List.copyOf(syncWaiting);
            syncWaiting.clear();
            for (Connection c : waiting) {
                ConnState cs = clients.get(c);
                if (cs != null) {
                    drain(c, cs);
                }
            }
        }
        restoreIfQuiet();
    }

    /** The refusal of a request whose session moved away, now that the leader knows it still leads. */
    private void movedAway(LeaderDesk.MovedAway m, long zxid) {
        if (m.local() == null) {
            desk.answerMovedAway(m);
            return;
        }
        m.local().ready(ErrorCode.SESSION_MOVED.code(), null);
        m.local().replyZxid = zxid;
        drainFor(m.local());
    }

    /** {@code f} is answered: its connection sends what is now ready at the head of its FIFO. */
    private void drainFor(InFlight f) {
        ConnState cs = clients.get(f.conn);
        if (cs != null) {
            drain(f.conn, cs);
        }
    }

    /** On a learner: the local request a committed txn answers, if it came from here. */
    private Object forwardedOrigin(TxnHeader h, Txn txn) {
        if (h.cxid() == LeaderDesk.BARRIER_CXID) {
            // The leader's own barrier (it confirms its term before a decision); no client's request.
            return null;
        }
        if (txn instanceof Txn.CreateSession) {
            return forwarded.takeCreate(h.sessionId());
        }
        return forwarded.take(h.sessionId(), h.cxid());
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

    private static MultiResponse failedMultiResponse(Txn.FailedMulti failed) {
        List<OpResult> out = new ArrayList<>(failed.errs().size());
        for (int err : failed.errs()) {
            out.add(OpResult.error(err));
        }
        return new MultiResponse(out);
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
        if (config.ensemble()) {
            LOG.error("the write-ahead log failed: {}. This server leaves the ensemble and stops; free the disk or"
                    + " fix the I/O error, then start it again.", cause.toString());
        } else {
            LOG.error("the write-ahead log failed: {}. Paddock now refuses writes and keeps serving reads;"
                    + " free the disk or fix the I/O error, then restart the server.", cause.toString());
        }
        standing.storageFailed(cause);
        if (restoring != null && !restoring.durable().isDone()) {
            // The writes it waited for will never apply: the restore fails, the old state stays.
            restoring.durable().completeExceptionally(cause);
        }
        prep.abandonPending();
        proposer.restartAt(sm.lastZxid());
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
        if (standing.writesDisabled() || (!standing.serving() && !snapshots.wanted())) {
            // Not synced: the state may hold txns a leader will truncate; snapshot committed state only.
            return;
        }
        snapshots.start(sm);
    }

    /**
     * Whether writes are refused because the log could not be written (a full or failing disk):
     * reads are still served, as by Apache's read-only server. Core thread only.
     */
    public boolean writesDisabled() {
        return standing.writesDisabled();
    }

    /** Takes a snapshot now (tests and tools); false if one is already under way. */
    public boolean snapshotNow() {
        if (snapshots.underWay()) {
            return false;
        }
        startSnapshot();
        return snapshots.underWay();
    }

    /**
     * A snapshot for an operator (the admin {@code snapshot} command): the one being written if
     * there is one, else a new one of the state as it is now. Completes with the snapshot file once
     * it is durable; the tree is cut here, on the core thread, and written off it. Core thread only.
     */
    public CompletableFuture<Path> takeSnapshot() {
        if (!snapshots.enabled()) {
            return CompletableFuture.failedFuture(new IllegalStateException("this server keeps no snapshots"));
        }
        if (snapshots.completion() == null) {
            startSnapshot();
        }
        CompletableFuture<Path> done = snapshots.completion();
        if (done == null) {
            return CompletableFuture.failedFuture(new IllegalStateException(standing.writesDisabled()
                    ? "the log failed, so no snapshot can be taken until a restart" : "not serving clients"));
        }
        return done;
    }

    private void onSnapshotWanted() {
        snapshots.want();
        startSnapshot();
    }

    // ---------------------------------------------------------------- ensemble

    private void onRole(ServerState state, long epoch, boolean nowServing) {
        boolean wasServing = standing.serving();
        boolean wasReadOnly = standing.readOnly();
        ServerState was = standing.role();
        standing.set(state, nowServing, clock.monotonicMs());
        if (wasReadOnly && !standing.readOnly()) {
            readOnly.end();
        }
        if (wasServing && (!nowServing || was != state)) {
            stopServing();
        }
        if (was != state || wasServing != nowServing) {
            // Whatever this server proposed or claimed in its old role is void: closes it proposed
            // were abandoned with the role (a new leader commits them if a quorum logged them), and
            // which server holds each session is learnt again as clients re-attach.
            for (LocalSession s : tracker.all()) {
                s.reopen();
                s.setOwner(LocalSession.NO_OWNER, -1);
            }
        }
        if (nowServing && state == ServerState.LEADING) {
            // Every earlier commit is applied (they came before this event); the new epoch starts here.
            prep.abandonPending();
            proposer.restartAt(io.paddock.server.zab.Zxid.make(epoch, 0));
            assert sm.lastZxid() <= proposer.last() : "applied 0x" + Long.toHexString(sm.lastZxid()) + " beyond epoch " + epoch;
            long now = clock.monotonicMs();
            // Sessions get a full timeout from the new leader: their servers report them from now on.
            for (LocalSession s : tracker.all()) {
                s.grantFullTimeout(now);
            }
        }
    }

    /** Lost the leader or the quorum: every client goes, so each reconnects to a server that serves. */
    private void stopServing() {
        clients.dropAll();
        // Local sessions live with this server's service: their clients find them expired elsewhere.
        memberSessions.clear();
        forwarded.clear();
        syncWaiting.clear();
        prep.abandonPending();
        proposer.restartAt(sm.lastZxid());
    }

    private void onReset(StateMachine state) {
        assert !standing.serving() : "state replaced while serving";
        if (standing.readOnly()) {
            readOnly.end();
        }
        replaceState(state);
    }

    /** Puts {@code state} in place of the current one, with the sessions it holds; not while serving. */
    private void replaceState(StateMachine state) {
        // Finish the snapshot of the old state before it goes (its writer waits for every node).
        snapshots.completeNow();
        sm = state;
        publishMembership();
        prep = new Prep(sm.tree(), config.skipAcl(), quotaGuard);
        reads = new Reads(sm.tree(), sm.watches(), config.skipAcl(), config.maxWatchesPerSession(), this::send);
        proposer.restartAt(sm.lastZxid());
        memberSessions.clear();
        for (LocalSession s : List.copyOf(tracker.all())) {
            tracker.remove(s.id());
        }
        long now = clock.monotonicMs();
        for (SessionTable.Entry e : sm.sessions().all().values()) {
            tracker.add(e.id(), e.timeoutMs(), now);
        }
        LOG.info("state replaced: now at zxid 0x{}", Long.toHexString(sm.lastZxid()));
    }

    // ---------------------------------------------------------------- restore

    /**
     * Starts replacing the whole state with {@code content} (the admin {@code restore} command), on a
     * standalone server: clients are dropped and none is accepted until the restored state is durable.
     * Once every write already proposed is applied, the content takes the place of the state at the
     * first zxid of an epoch beyond both the state's and the content's (so a client that has seen the
     * old state's zxids may connect, no node carries a zxid beyond the state's, and the log's older
     * txns are never replayed onto it), and a snapshot of it is written. The future
     * completes with that zxid once the snapshot is durable, off the core thread; the caller then
     * calls {@link #resumeAfterRestore}. Core thread only.
     */
    public CompletableFuture<Long> restore(StateMachine content) {
        String refusal = standing.ensemble ? "restore is supported on a standalone server only"
                : restoring != null ? "a restore is under way"
                : standing.writesDisabled() ? "the log failed, so nothing can be restored until a restart"
                : !snapshots.enabled() ? "this server keeps no snapshots"
                : !standing.serving() ? "not serving clients" : null;
        if (refusal != null) {
            return CompletableFuture.failedFuture(new IllegalStateException(refusal));
        }
        restoring = new PendingRestore(content, new CompletableFuture<>());
        standing.set(standing.role(), false, clock.monotonicMs());
        clients.dropAll();
        syncWaiting.clear();
        LOG.info("restore: clients dropped; waiting for {} proposed txns to apply",
                proposer.last() - sm.lastZxid());
        restoreIfQuiet();
        return restoring == null ? CompletableFuture.failedFuture(new IllegalStateException("restore lost"))
                : restoring.durable();
    }

    /** A restore waiting for its state, and the future for its durable zxid. */
    private record PendingRestore(StateMachine content, CompletableFuture<Long> durable) {
    }

    /** Replaces the state if a restore waits and nothing proposed is left to apply. */
    private void restoreIfQuiet() {
        PendingRestore r = restoring;
        if (r == null || r.durable().isDone() || sm.lastZxid() != proposer.last()) {
            return;
        }
        // Past both states' epochs: no node of the content may carry a zxid beyond the new one.
        long zxid = io.paddock.server.zab.Zxid.make(Math.max(io.paddock.server.zab.Zxid.epoch(sm.lastZxid()),
                io.paddock.server.zab.Zxid.epoch(r.content().lastZxid())) + 1, 0);
        replaceState(new StateMachine(r.content().tree(), r.content().sessions().all().values(), zxid));
        snapshots.start(sm);
        CompletableFuture<Path> file = snapshots.completion();
        // Encoded at once: nothing is served until it is durable.
        snapshots.completeNow();
        LOG.info("restore: state replaced at zxid 0x{} ({} nodes, {} sessions); writing its snapshot",
                Long.toHexString(zxid), sm.tree().nodeCount(), sm.sessions().size());
        file.whenComplete((path, failure) -> {
            if (failure != null) {
                r.durable().completeExceptionally(failure);
            } else {
                r.durable().complete(zxid);
            }
        });
    }

    /**
     * After the future of {@link #restore} completed: serves clients again. If the restored state's
     * snapshot could not be written, writes stay refused until a restart (which brings back the
     * state before the restore): a txn logged after an undurable restore would be replayed onto
     * the wrong state. Core thread only.
     */
    public void resumeAfterRestore() {
        PendingRestore r = restoring;
        if (r == null || !r.durable().isDone()) {
            return;
        }
        restoring = null;
        if (r.durable().isCompletedExceptionally()) {
            Throwable cause = r.durable().handle((z, t) -> t).join();
            LOG.error("restore: the restored state's snapshot failed ({}); writes are refused until a restart",
                    cause.toString());
            standing.storageFailed(cause);
        }
        standing.set(standing.role(), true, clock.monotonicMs());
    }

    /** On a learner: the leader answered a forwarded request that did not become a txn. */
    private void onFromLeader(byte[] payload) {
        LearnerMessages.Answer a = LearnerMessages.decodeAnswer(payload);
        if (a.cxid() == LeaderDesk.MOVED_CXID) {
            // The session's client re-attached elsewhere: the old connection here goes (ConnectionLoss).
            forwarded.dropSession(a.sessionId());
            clients.dropSession(a.sessionId());
            return;
        }
        if (a.cxid() == LeaderDesk.REVALIDATE_CXID) {
            handshake.leaderAnswered(a.sessionId(), a.err() == 0, sm.sessions());
            return;
        }
        if (a.cxid() == 0) {
            PendingConnect refused = forwarded.takeCreate(a.sessionId());
            if (refused != null) {
                refused.conn().abort();
                return;
            }
        }
        InFlight f = forwarded.take(a.sessionId(), a.cxid());
        if (f == null) {
            return;
        }
        Record response = null;
        if (a.response() != null) {
            io.paddock.protocol.JuteInput in = new io.paddock.protocol.JuteInput(a.response());
            response = f.op == OpCode.SYNC ? io.paddock.protocol.SyncResponse.readFrom(in) : MultiResponse.readFrom(in);
        }
        f.ready(a.err(), response);
        drainFor(f);
    }

    /** On a learner: tells the leader which sessions had client activity here since the last report. */
    private void reportSessions() {
        long since = lastTouchReportMs;
        lastTouchReportMs = clock.monotonicMs();
        List<Long> alive = new ArrayList<>();
        for (LocalSession s : tracker.all()) {
            // Only what a client sent counts: an open connection that carries nothing (a frozen
            // client, a dead route) is no sign of life, and its session must expire; nor is a
            // session this server merely loaded (at start, or from a leader's snapshot).
            if (s.lastHeardMs() >= since && !memberSessions.contains(s.id())) {
                alive.add(s.id());
            }
        }
        if (!alive.isEmpty()) {
            replicator.forward(LearnerMessages.touch(alive));
        }
    }

    // ---------------------------------------------------------------- time

    private void onTick() {
        if (!standing.serving()) {
            readOnly.tick();
            return;
        }
        long now = clock.monotonicMs();
        for (long id : memberSessions.expire(now)) {
            // A local session ends where it lives, without a txn (it owns no ephemeral node).
            LOG.info("expired local session 0x{}: no client contact for its timeout", Long.toHexString(id));
            metrics.sessionsExpired.add(1);
            clients.dropSession(id);
        }
        if (standing.writesDisabled()) {
            // Expiry and reaping are writes; sessions simply stay until the server is restarted.
            return;
        }
        if (standing.learner()) {
            // Only the leader expires sessions and reaps nodes; a learner tells it who is alive.
            reportSessions();
            return;
        }
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
            Connection conn = clients.attachedTo(s.id());
            if (conn != null) {
                clients.drop(conn);
            }
            proposeClose(s.id(), 0, null);
        }
        for (String path : reaper.due(sm.tree())) {
            Txn delete = prep.prepareReap(path, proposer.next());
            if (delete != null) {
                propose(0, 0, delete, null);
            }
        }
    }

}
