package io.paddock.server.session;

import io.paddock.server.core.Connection;

/**
 * A live session as tracked on this server: its negotiated timeout, when a client last spoke on
 * it, and the connection attached to it. The touch time is written by network threads; the rest
 * belongs to the core thread.
 */
public final class LocalSession {
    private final long id;
    private volatile int timeoutMs;
    private volatile long lastTouchMs;
    private Connection connection;
    private boolean closing;

    LocalSession(long id, int timeoutMs, long nowMs) {
        this.id = id;
        this.timeoutMs = timeoutMs;
        this.lastTouchMs = nowMs;
    }

    public long id() {
        return id;
    }

    public int timeoutMs() {
        return timeoutMs;
    }

    public void setTimeoutMs(int timeoutMs) {
        this.timeoutMs = timeoutMs;
    }

    /** Any request, ping included, pushes the deadline out. Safe from any thread. */
    public void touch(long nowMs) {
        lastTouchMs = nowMs;
    }

    public long lastTouchMs() {
        return lastTouchMs;
    }

    public Connection connection() {
        return connection;
    }

    public void attach(Connection conn) {
        this.connection = conn;
    }

    public boolean closing() {
        return closing;
    }

    public void markClosing() {
        closing = true;
    }
}
