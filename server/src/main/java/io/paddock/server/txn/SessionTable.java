package io.paddock.server.txn;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The replicated set of live sessions: id, negotiated timeout and password. Apply thread only. */
public final class SessionTable {
    /** A session as every replica knows it. */
    public record Entry(long id, int timeoutMs, byte[] password) {
    }

    private final Map<Long, Entry> sessions = new LinkedHashMap<>();

    void add(Entry entry) {
        Entry previous = sessions.put(entry.id(), entry);
        if (previous != null) {
            throw new IllegalStateException("session 0x" + Long.toHexString(entry.id()) + " created twice");
        }
    }

    void remove(long id) {
        sessions.remove(id);
    }

    public Entry get(long id) {
        return sessions.get(id);
    }

    public int size() {
        return sessions.size();
    }

    public Map<Long, Entry> all() {
        return Collections.unmodifiableMap(sessions);
    }
}
