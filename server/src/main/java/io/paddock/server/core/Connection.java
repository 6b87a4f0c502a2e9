package io.paddock.server.core;

import io.paddock.protocol.ConnectResponse;
import io.paddock.protocol.Id;
import io.paddock.protocol.Record;
import io.paddock.protocol.ReplyHeader;
import io.paddock.server.session.LocalSession;
import io.paddock.server.tree.Watcher;
import java.util.List;

/**
 * A client connection as the core sees it. The core calls these methods from its own thread only;
 * output is buffered per connection and flushed once per batch of work ({@link #flush()}).
 */
public interface Connection extends Watcher {
    /** The identities this connection holds (ip always; digest, sasl or super once it authenticates). */
    List<Id> identities();

    /** Remote address text, e.g. "/127.0.0.1:53412". */
    String remoteAddress();

    /** Queues a reply or notification frame: header then optional body. */
    void send(ReplyHeader header, Record body);

    /** Queues the handshake answer; with a session it starts serving requests, without one it closes. */
    void sendConnectResponse(ConnectResponse response, LocalSession session);

    /** Writes out everything queued since the last flush. */
    void flush();

    /** Flushes what is queued, then closes. */
    void close();

    /** Closes at once, without sending anything further. */
    void abort();

    /** Requests that will get no reply (the connection is closing or gone), for backpressure accounting. */
    void discarded(int requests);

    /** A request's reply was sent: xid, op, zxid, latency (for cons/stat figures and backpressure). */
    void replied(int xid, int op, long zxid, long latencyMs);

    /** Its figures for cons and stat, or null for a connection that keeps none (as a simulated one). */
    default ConnectionFigures figures() {
        return null;
    }

    /** Resets its figures (crst). */
    default void resetFigures() {
    }
}
