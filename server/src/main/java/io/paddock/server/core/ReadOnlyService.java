package io.paddock.server.core;

import io.paddock.protocol.ConnectRequest;
import io.paddock.protocol.ConnectResponse;
import io.paddock.protocol.ErrorCode;
import io.paddock.server.session.LocalSession;
import io.paddock.server.session.SessionTracker;
import io.paddock.server.txn.SessionTable;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Read-only mode ({@code readonlymode.enabled}): what a member that has lost its quorum does for
 * the clients that asked for read-only. They read the tree as this member last knew it; nothing
 * they ask can be written. A session is either one the ensemble already knew (re-attached here
 * with its password) or one created here, known to this member only: never logged nor proposed,
 * expired here by its own timeout, and gone when the member rejoins, as the client then looks for a
 * read-write server and gets a real session there. Core thread only.
 */
final class ReadOnlyService {
    private static final Logger LOG = LoggerFactory.getLogger(ReadOnlyService.class);

    private final Standing standing;
    private final ClientTable clients;
    private final SessionTracker tracker;
    private final Clock clock;
    /** The sessions created here (while read-only, the only ones this member makes). */
    private final MemberSessions ownSessions;

    ReadOnlyService(Standing standing, ClientTable clients, SessionTracker tracker, Clock clock,
                    MemberSessions ownSessions) {
        this.standing = standing;
        this.clients = clients;
        this.tracker = tracker;
        this.clock = clock;
        this.ownSessions = ownSessions;
    }

    /** A client's connect request while this member serves read-only. */
    void connect(Connection conn, ConnectRequest req, SessionTable sessions, int timeoutMs) {
        if (!req.readOnly()) {
            // It wants writes, which only a quorum can take: it tries another server.
            LOG.info("refusing {}: this server is read-only and the client did not ask for read-only",
                    conn.remoteAddress());
            conn.abort();
            return;
        }
        if (req.sessionId() == 0) {
            create(conn, req, timeoutMs);
        } else {
            reattach(conn, req, sessions, timeoutMs);
        }
    }

    private void create(Connection conn, ConnectRequest req, int timeoutMs) {
        LocalSession session = ownSessions.create(timeoutMs, clock.monotonicMs());
        long id = session.id();
        byte[] password = ownSessions.password(id);
        clients.open(conn);
        clients.attach(id, conn);
        LOG.info("read-only session 0x{} for {}: known to this server only", Long.toHexString(id),
                conn.remoteAddress());
        answer(conn, req, session, password);
    }

    private void reattach(Connection conn, ConnectRequest req, SessionTable sessions, int timeoutMs) {
        long id = req.sessionId();
        SessionTable.Entry entry = sessions.get(id);
        byte[] password = ownSessions.contains(id) ? ownSessions.password(id) : entry != null ? entry.password() : null;
        LocalSession session = tracker.get(id);
        if (password == null || session == null) {
            // Unknown here (created elsewhere just before the split, say): only a quorum may call a
            // session expired, so the client is not told so; it tries another server.
            LOG.info("refusing {}: session 0x{} is unknown to this read-only server", conn.remoteAddress(),
                    Long.toHexString(id));
            conn.abort();
            return;
        }
        clients.open(conn);
        if (!Arrays.equals(password, req.passwd()) || session.closing()) {
            conn.sendConnectResponse(ConnectResponse.invalidSession(true, req.readOnlyPresent()), null);
            clients.touched(conn);
            clients.get(conn).closing = true;
            return;
        }
        Connection previous = clients.attach(id, conn);
        if (previous != null && previous != conn) {
            clients.drop(previous);
        }
        session.setTimeoutMs(timeoutMs);
        session.touch(clock.monotonicMs());
        answer(conn, req, session, password);
    }

    private void answer(Connection conn, ConnectRequest req, LocalSession session, byte[] password) {
        conn.sendConnectResponse(new ConnectResponse(0, session.timeoutMs(), session.id(), password, true,
                req.readOnlyPresent()), session);
        clients.touched(conn);
    }

    /**
     * A closeSession on a read-only connection: the error to answer. A session created here simply
     * ends; one the ensemble knows can only be closed by a quorum (as Apache answers, NotReadOnly).
     */
    int close(LocalSession session) {
        return ownSessions.close(session.id()) ? 0 : ErrorCode.NOT_READ_ONLY.code();
    }

    /** At a tick: starts read-only service once due; while read-only, expires the sessions created here. */
    void tick() {
        long now = clock.monotonicMs();
        if (standing.enterReadOnlyIfDue(now)) {
            LOG.warn("no quorum: serving clients that ask for read-only from the state as of the last commit seen"
                    + " here, until this server rejoins the ensemble");
        }
        if (!standing.readOnly()) {
            return;
        }
        // Sessions the ensemble knows are left to it: only a quorum decides their expiry.
        for (long id : ownSessions.expire(now)) {
            LOG.info("expired read-only session 0x{}: no client contact for its timeout", Long.toHexString(id));
            clients.dropSession(id);
        }
    }

    /**
     * Read-only service ends (a leader is found, or the state is replaced): every connection goes, so
     * that each client finds a server that serves it fully, and the sessions created here are forgotten.
     */
    void end() {
        standing.leaveReadOnly();
        clients.dropAll();
        ownSessions.clear();
        LOG.info("read-only service ended: its clients were disconnected to find a read-write server");
    }
}
