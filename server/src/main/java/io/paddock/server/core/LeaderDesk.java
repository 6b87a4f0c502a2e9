package io.paddock.server.core;

import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.JuteInput;
import io.paddock.protocol.MultiRequest;
import io.paddock.protocol.MultiResponse;
import io.paddock.protocol.OpCode;
import io.paddock.protocol.Record;
import io.paddock.protocol.SyncRequest;
import io.paddock.protocol.SyncResponse;
import io.paddock.server.net.RequestDecoder;
import io.paddock.server.prep.Prep;
import io.paddock.server.replication.Replicator;
import io.paddock.server.session.LocalSession;
import io.paddock.server.session.SessionTracker;
import io.paddock.server.txn.SessionTable;
import io.paddock.server.txn.Txn;
import java.util.Arrays;
import java.util.List;

/**
 * The leader's side of its learners: what their clients' requests become (txns, or a direct
 * answer), their clients' re-attaches, and which server holds each session, so that a write still
 * coming through a session's old server is refused as moved. Core thread only.
 */
final class LeaderDesk {
    /** cxid of the leader's answer to a learner's re-attach of a session. */
    static final int REVALIDATE_CXID = Integer.MIN_VALUE;
    /** cxid of the leader's notice to a learner that a session its client held has moved to another server. */
    static final int MOVED_CXID = Integer.MIN_VALUE + 1;
    /** The request number of the leader's own barriers (see {@link Standing#confirmsByBarrier}): no client request's. */
    static final int BARRIER_CXID = Integer.MIN_VALUE;

    /** A session a learner's client asked for: that learner holds it once it is created. */
    record CreatedThrough(long from, long link) {
    }

    /** A learner's re-attach, decided once the leader's barrier commits. */
    record Revalidation(long from, long link, LearnerMessages.Revalidate request) {
    }

    /**
     * A request refused because its session moved to another server: a local one, or the request
     * {@code cxid} that server {@code from} forwarded. Answered at its barrier's commit.
     */
    record MovedAway(InFlight local, long from, long link, long sessionId, int cxid) {
    }

    private final long myId;
    private final Standing standing;
    private final SessionTracker tracker;
    private final ClientTable clients;
    private final Proposer proposer;
    private final Replicator replicator;
    private final Clock clock;
    /** localSessionsEnabled: learners make sessions the leader never hears of. */
    private final boolean localSessions;

    LeaderDesk(long myId, Standing standing, SessionTracker tracker, ClientTable clients, Proposer proposer,
               Replicator replicator, Clock clock, boolean localSessions) {
        this.myId = myId;
        this.standing = standing;
        this.tracker = tracker;
        this.clients = clients;
        this.proposer = proposer;
        this.replicator = replicator;
        this.clock = clock;
        this.localSessions = localSessions;
    }

    /** A learner forwarded a client's request, re-attached a session or reported live sessions. */
    void fromLearner(long from, long link, byte[] payload, SessionTable sessions, Prep prep) {
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
        if (!standing.serving() || !standing.leading()) {
            return;
        }
        if (m instanceof LearnerMessages.Revalidate rv) {
            revalidate(from, link, rv, sessions, now);
            return;
        }
        LearnerMessages.Request r = (LearnerMessages.Request) m;
        LocalSession session = tracker.get(r.sessionId());
        if (session != null) {
            session.touch(now);
        }
        if (r.op() == OpCode.CREATE_SESSION) {
            JuteInput in = new JuteInput(r.body());
            int timeout = in.readInt();
            byte[] password = in.readBuffer();
            if (standing.writesDisabled()) {
                answer(from, link, r.sessionId(), r.cxid(), ErrorCode.NOT_READ_ONLY.code(), null);
            } else if (session == null) {
                proposer.propose(r.sessionId(), 0, new Txn.CreateSession(timeout, password),
                        new CreatedThrough(from, link));
            }
            return;
        }
        if (r.op() == OpCode.SYNC) {
            if (standing.writesDisabled()) {
                answer(from, link, r.sessionId(), r.cxid(), 0,
                        new SyncResponse(SyncRequest.readFrom(new JuteInput(r.body())).path()));
            } else {
                proposer.propose(r.sessionId(), r.cxid(), new Txn.Barrier(), null);
            }
            return;
        }
        if (standing.writesDisabled()) {
            answer(from, link, r.sessionId(), r.cxid(), ErrorCode.NOT_READ_ONLY.code(), null);
            return;
        }
        int refused = session == null && learnersOwn(r.sessionId(), from, r.op()) ? 0 : refusal(session, from, link);
        if (refused != 0) {
            proposeRefusal(r.sessionId(), r.cxid(), refused, null, from, link);
            return;
        }
        if (r.op() == OpCode.CLOSE_SESSION) {
            session.markClosing();
            proposer.propose(r.sessionId(), r.cxid(), prep.prepareCloseSession(r.sessionId(), proposer.next()), null);
            return;
        }
        Record body;
        try {
            body = RequestDecoder.decode(r.op(), new JuteInput(r.body()));
        } catch (RuntimeException e) {
            proposer.propose(r.sessionId(), r.cxid(), new Txn.Error(ErrorCode.MARSHALLING_ERROR.code()), null);
            return;
        }
        if (r.op() == OpCode.MULTI && ((MultiRequest) body).ops().isEmpty()) {
            answer(from, link, r.sessionId(), r.cxid(), 0, new MultiResponse(List.of()));
            return;
        }
        proposer.propose(r.sessionId(), r.cxid(),
                prep.prepare(r.op(), body, r.sessionId(), r.identities(), proposer.next()).asTxn(), null);
    }

    /**
     * A learner's client re-attaches a session. The answer leaves once a barrier proposed now
     * commits: everything proposed before it is then committed (the learner knows the session even
     * if it was created a moment ago), and this server was still the leader.
     */
    private void revalidate(long from, long link, LearnerMessages.Revalidate rv, SessionTable sessions, long now) {
        LocalSession session = tracker.get(rv.sessionId());
        if (session != null && !session.closing()) {
            session.touch(now);
        }
        Revalidation r = new Revalidation(from, link, rv);
        if (standing.confirmsByBarrier()) {
            proposer.propose(rv.sessionId(), BARRIER_CXID, new Txn.Barrier(), r);
        } else {
            revalidated(r, sessions);
        }
    }

    /** The leader's word on a learner's re-attach: if the password is right the session is that learner's from now on. */
    void revalidated(Revalidation r, SessionTable sessions) {
        long sessionId = r.request().sessionId();
        SessionTable.Entry entry = sessions.get(sessionId);
        LocalSession session = tracker.get(sessionId);
        boolean valid = entry != null && session != null && !session.closing()
                && Arrays.equals(entry.password(), r.request().password());
        if (valid) {
            claim(session, r.from(), r.link());
            session.touch(clock.monotonicMs());
        }
        answer(r.from(), r.link(), sessionId, REVALIDATE_CXID, valid ? 0 : ErrorCode.SESSION_EXPIRED.code(), null);
    }

    /**
     * Whether a session the leader does not know may be a local session of the learner that
     * forwards its request: local sessions are on, the session's id was made by that learner (its
     * top byte), and the request is not a close (a learner ends its local sessions itself). Apache
     * lets any server's unknown session through; here only the server that made it may use it.
     */
    private boolean learnersOwn(long sessionId, long learner, int op) {
        return localSessions && op != OpCode.CLOSE_SESSION && (sessionId >>> 56) == learner;
    }

    /**
     * Why a state-changing request of {@code session} that came through server {@code via}
     * (through {@code link}) is refused, or 0 if it may go ahead. A session that has moved to
     * another server refuses its old connection's writes (SessionMoved); one whose close is
     * proposed refuses more (SessionExpired). The first server to send a request for a session
     * nobody holds in this term claims it.
     */
    int refusal(LocalSession session, long via, long link) {
        if (session == null) {
            return ErrorCode.SESSION_EXPIRED.code();
        }
        if (session.owner() == LocalSession.NO_OWNER) {
            claim(session, via, link);
        }
        if (session.owner() != via) {
            return ErrorCode.SESSION_MOVED.code();
        }
        if (session.closing()) {
            return ErrorCode.SESSION_EXPIRED.code();
        }
        return 0;
    }

    /**
     * Proposes what answers a refused request ({@code local}, or the request {@code cxid} that
     * server {@code from} forwarded), so that the refusal is answered only once the state it was
     * decided on is committed (a close proposed by a deposed leader never is, and then nothing is
     * answered). A SessionExpired refusal is an error txn, as Apache's. A SessionMoved one is a
     * barrier answered to the refused request's server alone: a learner matches commits to what it
     * forwarded by session and request number, and the server the session moved to may be waiting
     * for the same number from the session's new client.
     */
    void proposeRefusal(long sessionId, int cxid, int err, InFlight local, long from, long link) {
        if (err == ErrorCode.SESSION_MOVED.code()) {
            proposer.propose(sessionId, BARRIER_CXID, new Txn.Barrier(), new MovedAway(local, from, link, sessionId, cxid));
        } else {
            proposer.propose(sessionId, cxid, new Txn.Error(err), local);
        }
    }

    /**
     * {@code server} (reached through {@code link}) holds the session now. The server that held it
     * before closes the old connection, before anything the session's new client sends can commit:
     * a learner is told, and forgets what it forwarded for the session, so that no commit of the new
     * client's is taken for one of the old connection's requests (both count their requests from 1
     * up, and a learner matches commits by session and number).
     */
    void claim(LocalSession session, long server, long link) {
        long previous = session.owner();
        if (previous == myId && server != myId) {
            clients.dropSession(session.id());
        } else if (previous != LocalSession.NO_OWNER && previous != server) {
            answer(previous, session.ownerLink(), session.id(), MOVED_CXID, 0, null);
        }
        session.setOwner(server, link);
    }

    /** A forwarded request's refusal for a moved session, at its barrier's commit. */
    void answerMovedAway(MovedAway m) {
        answer(m.from(), m.link(), m.sessionId(), m.cxid(), ErrorCode.SESSION_MOVED.code(), null);
    }

    private void answer(long learner, long link, long sessionId, int cxid, int err, Record response) {
        replicator.reply(learner, link, LearnerMessages.answer(sessionId, cxid, err, response));
    }
}
