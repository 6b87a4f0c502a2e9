package io.paddock.server.core;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * On a learner: what it handed to the leader and still waits for, so that each commit or answer
 * from the leader finds the local request it completes. Requests are kept per session in request
 * order (the leader commits or answers a session's requests in that order); new sessions wait for
 * their createSession txn; re-attaches wait for the leader's word. Core thread only.
 */
final class Forwarded {
    private final Map<Long, ArrayDeque<InFlight>> requests = new HashMap<>();
    private final Map<Long, PendingConnect> creates = new HashMap<>();
    private final Map<Long, PendingConnect> reattaches = new HashMap<>();

    void request(long sessionId, InFlight f) {
        requests.computeIfAbsent(sessionId, k -> new ArrayDeque<>()).add(f);
    }

    /** The session's oldest forwarded request if it is the one numbered {@code cxid} (then no longer waiting), else null. */
    InFlight take(long sessionId, int cxid) {
        ArrayDeque<InFlight> q = requests.get(sessionId);
        if (q == null || q.isEmpty() || q.peek().xid != cxid) {
            return null;
        }
        InFlight f = q.poll();
        if (q.isEmpty()) {
            requests.remove(sessionId);
        }
        return f;
    }

    /** Forgets the session's forwarded requests: their connection is going. */
    void dropSession(long sessionId) {
        requests.remove(sessionId);
    }

    void create(long sessionId, PendingConnect pc) {
        creates.put(sessionId, pc);
    }

    /** The handshake waiting for this session's creation, or null. */
    PendingConnect takeCreate(long sessionId) {
        return creates.remove(sessionId);
    }

    /** Waits for the leader's word on a re-attach; returns an earlier one of the same session, now superseded. */
    PendingConnect reattach(long sessionId, PendingConnect pc) {
        return reattaches.put(sessionId, pc);
    }

    PendingConnect takeReattach(long sessionId) {
        return reattaches.remove(sessionId);
    }

    /** Forgets everything: the link to the leader is gone, and with it every answer still due. */
    void clear() {
        requests.clear();
        creates.clear();
        reattaches.clear();
    }
}
