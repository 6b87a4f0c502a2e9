package io.paddock.server.session;

/**
 * A live session as tracked on this server: its negotiated timeout, when a client last spoke on
 * it, whether its close is under way, and (on a leader) which server its client is attached to.
 * The touch time is written by network threads; the rest belongs to the core thread.
 */
public final class LocalSession {
    /** {@link #owner()} before any server has claimed the session in this leader's term. */
    public static final long NO_OWNER = -1;

    private final long id;
    private volatile int timeoutMs;
    private volatile long lastTouchMs;
    private volatile long lastHeardMs = Long.MIN_VALUE;
    private boolean closing;
    private long owner = NO_OWNER;
    private long ownerLink = -1;

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

    /** Any request, ping included, is a sign of life: it pushes the deadline out. Safe from any thread. */
    public void touch(long nowMs) {
        lastTouchMs = nowMs;
        lastHeardMs = nowMs;
    }

    /**
     * A full timeout from now, with no claim that the client was heard from: a session loaded from
     * disk or from a leader, or inherited by a new leader. A learner does not vouch for it.
     */
    public void grantFullTimeout(long nowMs) {
        lastTouchMs = nowMs;
    }

    /** When the session's deadline was last pushed out: it expires a timeout after this. */
    public long lastTouchMs() {
        return lastTouchMs;
    }

    /** When this server last had a sign of life of the session's client ({@link Long#MIN_VALUE}: never). */
    public long lastHeardMs() {
        return lastHeardMs;
    }

    /**
     * Whether this server proposed the session's close in its current role and the close has not
     * been applied yet. Only a proposal makes it true, and a change of role ends every proposal
     * not yet committed, so the mark goes with the role ({@link #reopen()}).
     */
    public boolean closing() {
        return closing;
    }

    public void markClosing() {
        closing = true;
    }

    /** The close this server proposed was abandoned with its role: the session is live again. */
    public void reopen() {
        closing = false;
    }

    /**
     * On a leader: the server whose client holds the session (its id), or {@link #NO_OWNER}. A write
     * forwarded by any other server comes from a connection the session has left: SessionMoved.
     */
    public long owner() {
        return owner;
    }

    /** The link through which the owning learner reached the leader (-1: the leader itself, or no owner). */
    public long ownerLink() {
        return ownerLink;
    }

    public void setOwner(long serverId, long link) {
        this.owner = serverId;
        this.ownerLink = link;
    }
}
