package io.paddock.server.core;

import io.paddock.protocol.ConnectRequest;
import io.paddock.protocol.ConnectResponse;
import io.paddock.protocol.OpCode;
import io.paddock.server.replication.Replicator;
import io.paddock.server.session.LocalSession;
import io.paddock.server.session.SessionTracker;
import io.paddock.server.txn.SessionTable;
import io.paddock.server.txn.Txn;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client's handshake: a new session (a createSession txn), or the re-attach of an existing one,
 * which a learner first asks the leader about. Core thread only.
 */
final class Handshake {
    private static final Logger LOG = LoggerFactory.getLogger(Handshake.class);

    private final Standing standing;
    private final ClientTable clients;
    private final SessionTracker tracker;
    private final Forwarded forwarded;
    private final Proposer proposer;
    private final Replicator replicator;
    private final LeaderDesk desk;
    private final ReadOnlyService readOnly;
    /** Local sessions (localSessionsEnabled): made and checked here, without the leader. */
    private final MemberSessions local;
    private final boolean localSessions;
    private final Clock clock;
    /** Session passwords: SecureRandom in a server, a seeded Random in a simulation. */
    private final Random random;
    private final long myId;

    Handshake(long myId, Standing standing, ClientTable clients, SessionTracker tracker, Forwarded forwarded,
              Proposer proposer, Replicator replicator, LeaderDesk desk, ReadOnlyService readOnly,
              MemberSessions local, boolean localSessions, Clock clock, Random random) {
        this.myId = myId;
        this.standing = standing;
        this.clients = clients;
        this.tracker = tracker;
        this.forwarded = forwarded;
        this.proposer = proposer;
        this.replicator = replicator;
        this.desk = desk;
        this.readOnly = readOnly;
        this.local = local;
        this.localSessions = localSessions;
        this.clock = clock;
        this.random = random;
    }

    /** A client's connect request on a new connection. */
    void connect(Connection conn, ConnectRequest req, SessionTable sessions, long lastZxid) {
        if (!standing.serving() && !standing.readOnly()) {
            // Not synced to a leader: nothing can be served; the client tries another server.
            LOG.info("refusing {}: this server is not serving ({})", conn.remoteAddress(), standing.role().mode());
            conn.abort();
            return;
        }
        if (req.lastZxidSeen() > lastZxid) {
            // The client has seen a newer state than ours: refuse silently so it tries another server.
            LOG.info("refusing {}: client has seen zxid 0x{} but this server is at 0x{}", conn.remoteAddress(),
                    Long.toHexString(req.lastZxidSeen()), Long.toHexString(lastZxid));
            conn.abort();
            return;
        }
        int timeout = tracker.negotiate(req.timeOut());
        if (standing.readOnly()) {
            readOnly.connect(conn, req, sessions, timeout);
            return;
        }
        clients.open(conn);
        if (req.sessionId() != 0) {
            attach(new PendingConnect(conn, req, timeout), false, sessions);
            return;
        }
        if (standing.writesDisabled()) {
            LOG.warn("refusing a new session from {}: the log failed ({})", conn.remoteAddress(),
                    standing.storageFailure().toString());
            conn.abort();
            return;
        }
        if (localSessions) {
            // A local session: this server's alone, made without a txn (Apache's localSessionsEnabled).
            LocalSession session = local.create(timeout, clock.monotonicMs());
            clients.attach(session.id(), conn);
            if (standing.leading()) {
                desk.claim(session, myId, -1);
            }
            conn.sendConnectResponse(new ConnectResponse(0, timeout, session.id(), local.password(session.id()), false,
                    req.readOnlyPresent()), session);
            clients.touched(conn);
            return;
        }
        long id = tracker.nextSessionId();
        byte[] password = new byte[ConnectResponse.PASSWORD_LENGTH];
        random.nextBytes(password);
        PendingConnect pc = new PendingConnect(conn, req, timeout);
        if (standing.learner()) {
            forwarded.create(id, pc);
            replicator.forward(LearnerMessages.request(id, 0, OpCode.CREATE_SESSION, List.of(),
                    out -> {
                        out.writeInt(timeout);
                        out.writeBuffer(password);
                    }));
        } else {
            proposer.propose(id, 0, new Txn.CreateSession(timeout, password), pc);
        }
    }

    /**
     * Re-attaches a session. A learner first asks the leader ({@code confirmed} is then its
     * answer): the leader must know the session's client is here now, so that writes still coming
     * through its old server are refused as moved; and its answer comes after every txn committed
     * before it, so a session created moments ago through another server is known here by then.
     * A leader of an ensemble decides only once a barrier txn commits ({@code confirmed} then): a
     * deposed leader that has not noticed yet never commits it, so it can neither hand a session
     * to a new connection the real leader never hears of nor call a live session expired.
     */
    void attach(PendingConnect pc, boolean confirmed, SessionTable sessions) {
        Connection conn = pc.conn();
        ConnectRequest req = pc.request();
        if (!clients.has(conn)) {
            return;
        }
        if (local.contains(req.sessionId())) {
            attachLocal(pc);
            return;
        }
        SessionTable.Entry entry = sessions.get(req.sessionId());
        boolean passwordMatches = entry != null && Arrays.equals(entry.password(), req.passwd());
        if (standing.learner() && !confirmed && (entry == null || passwordMatches)) {
            PendingConnect older = forwarded.reattach(req.sessionId(), pc);
            if (older != null) {
                older.conn().abort();
            }
            replicator.forward(LearnerMessages.revalidate(req.sessionId(), req.passwd()));
            return;
        }
        if (standing.leading() && !confirmed && standing.confirmsByBarrier()) {
            proposer.propose(req.sessionId(), LeaderDesk.BARRIER_CXID, new Txn.Barrier(), pc);
            return;
        }
        LocalSession session = tracker.get(req.sessionId());
        if (!passwordMatches || session == null || session.closing()) {
            refuse(pc);
            return;
        }
        Connection previous = clients.attach(session.id(), conn);
        if (previous != null && previous != conn) {
            // One connection per session: the client moved, so the old connection goes.
            clients.drop(previous);
        }
        if (standing.leading()) {
            desk.claim(session, myId, -1);
        }
        session.setTimeoutMs(pc.timeoutMs());
        session.touch(clock.monotonicMs());
        conn.sendConnectResponse(new ConnectResponse(0, pc.timeoutMs(), session.id(), entry.password(), false,
                req.readOnlyPresent()), session);
        clients.touched(conn);
    }

    /** A client comes back to this server with a local session made here: checked here alone. */
    private void attachLocal(PendingConnect pc) {
        Connection conn = pc.conn();
        ConnectRequest req = pc.request();
        LocalSession session = tracker.get(req.sessionId());
        byte[] password = local.password(req.sessionId());
        if (session == null || !Arrays.equals(password, req.passwd())) {
            refuse(pc);
            return;
        }
        Connection previous = clients.attach(session.id(), conn);
        if (previous != null && previous != conn) {
            clients.drop(previous);
        }
        session.setTimeoutMs(pc.timeoutMs());
        session.touch(clock.monotonicMs());
        conn.sendConnectResponse(new ConnectResponse(0, pc.timeoutMs(), session.id(), password, false,
                req.readOnlyPresent()), session);
        clients.touched(conn);
    }

    /** On a learner: the leader's word on a re-attach it asked about. */
    void leaderAnswered(long sessionId, boolean valid, SessionTable sessions) {
        PendingConnect pc = forwarded.takeReattach(sessionId);
        if (pc != null && valid) {
            attach(pc, true, sessions);
        } else if (pc != null) {
            refuse(pc);
        }
    }

    /** Tells the client its session is gone (timeout 0), then closes the connection. */
    private void refuse(PendingConnect pc) {
        ClientTable.ConnState cs = clients.get(pc.conn());
        if (cs == null) {
            return;
        }
        pc.conn().sendConnectResponse(ConnectResponse.invalidSession(false, pc.request().readOnlyPresent()), null);
        clients.touched(pc.conn());
        cs.closing = true;
    }

    /** The client's new session is created: it is told so. */
    void created(PendingConnect pc, long sessionId, SessionTable sessions) {
        ClientTable.ConnState cs = clients.get(pc.conn());
        if (cs == null || cs.closing) {
            // The client went away during the handshake; the session lives on until it expires.
            return;
        }
        SessionTable.Entry entry = sessions.get(sessionId);
        LocalSession session = tracker.get(sessionId);
        clients.attach(sessionId, pc.conn());
        if (standing.leading()) {
            desk.claim(session, myId, -1);
        }
        pc.conn().sendConnectResponse(new ConnectResponse(0, pc.timeoutMs(), sessionId, entry.password(), false,
                pc.request().readOnlyPresent()), session);
        clients.touched(pc.conn());
    }
}
