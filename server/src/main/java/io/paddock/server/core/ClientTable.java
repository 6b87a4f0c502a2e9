package io.paddock.server.core;

import io.paddock.protocol.Record;
import io.paddock.protocol.ReplyHeader;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The client connections this server holds: each one's requests waiting for their replies, which
 * session each serves, and which have output to flush. Core thread only.
 */
final class ClientTable {
    /** One connection's state: the FIFO of requests awaiting their reply. */
    static final class ConnState {
        final ArrayDeque<InFlight> fifo = new ArrayDeque<>();
        /** closeSession was received or the connection is going away: later requests are dropped. */
        boolean closing;
    }

    // Insertion order, not identity hashes: the step makes the same calls in the same order on every run.
    private final Map<Connection, ConnState> conns = new LinkedHashMap<>();
    /** The connection each session is attached to on this server, by session id. */
    private final Map<Long, Connection> attached = new HashMap<>();
    private final Set<Connection> dirty = new LinkedHashSet<>();

    void open(Connection conn) {
        conns.put(conn, new ConnState());
    }

    /** The connection's state, or null once it is gone. */
    ConnState get(Connection conn) {
        return conns.get(conn);
    }

    boolean has(Connection conn) {
        return conns.containsKey(conn);
    }

    Set<Connection> all() {
        return Collections.unmodifiableSet(conns.keySet());
    }

    /** The connection went: it is forgotten, with its session's attachment; returns its state (null if unknown). */
    ConnState remove(Connection conn) {
        ConnState cs = conns.remove(conn);
        attached.remove(conn.sessionId(), conn);
        dirty.remove(conn);
        return cs;
    }

    /** Attaches the session to {@code conn}; returns the connection it was attached to before, or null. */
    Connection attach(long sessionId, Connection conn) {
        return attached.put(sessionId, conn);
    }

    Connection attachedTo(long sessionId) {
        return attached.get(sessionId);
    }

    /** The session is no longer attached here; returns the connection it was attached to, or null. */
    Connection detach(long sessionId) {
        return attached.remove(sessionId);
    }

    /** Closes the connection: nothing more it sends is answered (ConnectionLoss for the client). */
    void drop(Connection conn) {
        ConnState cs = conns.get(conn);
        if (cs != null) {
            cs.closing = true;
        }
        conn.abort();
    }

    /** Closes the session's connection here, if it has one (its client went elsewhere, or it expired). */
    void dropSession(long sessionId) {
        Connection conn = attached.remove(sessionId);
        if (conn != null) {
            drop(conn);
        }
    }

    /** Closes every connection: each client goes to find a server that serves. */
    void dropAll() {
        for (Map.Entry<Connection, ConnState> e : conns.entrySet()) {
            e.getValue().closing = true;
            e.getKey().abort();
        }
        attached.clear();
    }

    /** Aborts every connection at once, with no bookkeeping (the step failed). */
    void abortAll() {
        for (Connection c : conns.keySet()) {
            c.abort();
        }
    }

    void send(Connection conn, ReplyHeader header, Record body) {
        conn.send(header, body);
        dirty.add(conn);
    }

    /** The connection has output to flush (sent through it directly, as a handshake's answer is). */
    void touched(Connection conn) {
        dirty.add(conn);
    }

    /** Writes out everything buffered since the last flush. */
    void flush() {
        for (Connection c : dirty) {
            c.flush();
        }
        dirty.clear();
    }
}
