package io.paddock.server.core;

import io.paddock.protocol.ConnectResponse;
import io.paddock.server.session.LocalSession;
import io.paddock.server.session.SessionTracker;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Sessions known to this member only: never logged nor proposed, their passwords kept here, checked
 * and expired here by their own timeouts, and forgotten when the member stops serving. They are
 * Apache ZooKeeper's local sessions ({@code localSessionsEnabled}) and the sessions a read-only
 * member makes. A client that takes one to another server finds it expired there, as with Apache.
 * Core thread only.
 */
final class MemberSessions {
    private final SessionTracker tracker;
    private final Random random;
    /** Passwords of the sessions made here, in creation order. */
    private final Map<Long, byte[]> passwords = new LinkedHashMap<>();
    /** How many there are, for figures read on other threads. */
    private volatile int count;

    MemberSessions(SessionTracker tracker, Random random) {
        this.tracker = tracker;
        this.random = random;
    }

    /** A new session, live from {@code nowMs}. */
    LocalSession create(int timeoutMs, long nowMs) {
        long id = tracker.nextSessionId();
        byte[] password = new byte[ConnectResponse.PASSWORD_LENGTH];
        random.nextBytes(password);
        passwords.put(id, password);
        count = passwords.size();
        return tracker.add(id, timeoutMs, nowMs);
    }

    boolean contains(long id) {
        return passwords.containsKey(id);
    }

    /** The password of a session made here, or null. */
    byte[] password(long id) {
        return passwords.get(id);
    }

    /** Ends a session made here; false when it is not one. */
    boolean close(long id) {
        if (passwords.remove(id) == null) {
            return false;
        }
        count = passwords.size();
        tracker.remove(id);
        return true;
    }

    /**
     * The session stops being this member's alone (it is being made the ensemble's): its password,
     * which the ensemble's session keeps. Its tracker entry stays, as for any session.
     */
    byte[] promote(long id) {
        byte[] password = passwords.remove(id);
        count = passwords.size();
        return password;
    }

    /** Removes and returns the sessions made here whose clients have been silent for their timeout. */
    List<Long> expire(long nowMs) {
        List<Long> expired = new ArrayList<>();
        for (Iterator<Long> it = passwords.keySet().iterator(); it.hasNext(); ) {
            long id = it.next();
            LocalSession s = tracker.get(id);
            if (s == null || nowMs - s.lastTouchMs() >= s.timeoutMs()) {
                it.remove();
                tracker.remove(id);
                expired.add(id);
            }
        }
        count = passwords.size();
        return expired;
    }

    /** Forgets every session made here. */
    void clear() {
        for (long id : passwords.keySet()) {
            tracker.remove(id);
        }
        passwords.clear();
        count = 0;
    }

    /** How many sessions this member made for itself; safe from any thread. */
    int size() {
        return count;
    }
}
