package io.paddock.server.session;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Session ids, timeout negotiation and expiry. Ids carry the server id in the top byte, as
 * Apache's do, and never take the container marker value. Expiry is checked once per tick, so a
 * session expires between its timeout and its timeout plus one tick after its last touch.
 * Core thread only, except {@link LocalSession#touch}.
 */
public final class SessionTracker {
    private final int minTimeoutMs;
    private final int maxTimeoutMs;
    private final Map<Long, LocalSession> sessions = new LinkedHashMap<>();
    private long nextId;

    public SessionTracker(int serverId, int minTimeoutMs, int maxTimeoutMs, long nowMs) {
        this.minTimeoutMs = minTimeoutMs;
        this.maxTimeoutMs = maxTimeoutMs;
        this.nextId = ((long) serverId << 56) | ((nowMs << 24) >>> 8);
    }

    public int negotiate(int requestedMs) {
        return Math.min(Math.max(requestedMs, minTimeoutMs), maxTimeoutMs);
    }

    public long nextSessionId() {
        long id = nextId++;
        if (id == Long.MIN_VALUE || id == 0) {
            id = nextId++;
        }
        return id;
    }

    public LocalSession add(long id, int timeoutMs, long nowMs) {
        LocalSession s = new LocalSession(id, timeoutMs, nowMs);
        sessions.put(id, s);
        return s;
    }

    public LocalSession get(long id) {
        return sessions.get(id);
    }

    public void remove(long id) {
        sessions.remove(id);
    }

    public Collection<LocalSession> all() {
        return Collections.unmodifiableCollection(sessions.values());
    }

    /** Sessions not touched for their whole timeout and not already closing. */
    public List<LocalSession> expired(long nowMs) {
        List<LocalSession> out = new ArrayList<>();
        for (LocalSession s : sessions.values()) {
            if (!s.closing() && nowMs - s.lastTouchMs() >= s.timeoutMs()) {
                out.add(s);
            }
        }
        return out;
    }
}
