package io.paddock.server.peer;

import io.paddock.server.zab.Msg;

/**
 * What the transport reports. Both methods are called on Netty event-loop threads and must never
 * block: the receiver queues the event for its own thread.
 */
public interface PeerListener {
    /** A message from peer {@code from}; messages of one peer and one port kind arrive in send order. */
    void onMessage(long from, Msg msg);

    /**
     * Messages to or from {@code peer} may have been lost: a connection with it closed, a connection
     * attempt failed with messages waiting, or messages were dropped. Called once per such loss.
     */
    void onPeerDown(long peer);
}
