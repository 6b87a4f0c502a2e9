package io.paddock.server.core;

import io.paddock.protocol.Record;

/**
 * A client request between its arrival and its reply, kept in its connection's FIFO so replies
 * leave in request order. Owned by the core thread.
 */
final class InFlight {
    enum State { READ, AWAITING_COMMIT, READY }

    final Connection conn;
    /** The connection's identities when the request arrived. */
    final java.util.List<io.paddock.protocol.Id> identities;
    final int xid;
    final int op;
    final Record body;
    final long receivedNanos;
    State state;
    int err;
    Record response;
    /** Close the connection after this reply (closeSession, Unimplemented). */
    boolean closeAfter;
    long replyZxid = -2;
    /** A sync answered here waits until this zxid is applied (-1: no wait). */
    long waitZxid = -1;

    InFlight(Connection conn, java.util.List<io.paddock.protocol.Id> identities, int xid, int op, Record body,
             long receivedNanos, State state) {
        this.conn = conn;
        this.identities = identities;
        this.xid = xid;
        this.op = op;
        this.body = body;
        this.receivedNanos = receivedNanos;
        this.state = state;
    }

    void ready(int errCode, Record resp) {
        this.state = State.READY;
        this.err = errCode;
        this.response = resp;
    }
}
