package io.paddock.client;

/** Where a {@link PaddockClient} is in its life. The last three are final. */
public enum ClientState {
    /** Looking for a server, at start or after losing a connection; the session may still be alive. */
    CONNECTING,
    /** Attached to a read-write server. */
    CONNECTED,
    /** Attached to a server in read-only mode: reads work, writes fail with NOT_READ_ONLY. */
    CONNECTED_READ_ONLY,
    /** A server refused the credentials; the client stopped. */
    AUTH_FAILED,
    /** The session expired (reported by a server, or no server was heard for 4/3 of the timeout). */
    EXPIRED,
    /** {@link PaddockClient#close()} was called. */
    CLOSED;

    /** True while the session may still be used. */
    public boolean isAlive() {
        return this == CONNECTING || this == CONNECTED || this == CONNECTED_READ_ONLY;
    }

    /** True while attached to a server. */
    public boolean isConnected() {
        return this == CONNECTED || this == CONNECTED_READ_ONLY;
    }
}
