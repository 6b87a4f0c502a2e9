package io.paddock.server.peer;

/**
 * Bounds that keep a slow or absent peer from growing the heap.
 *
 * @param maxQueuedMessages messages held for one outgoing connection (while it connects, or behind
 *     a slow socket); more drops them all and reports the peer down
 * @param maxPendingBytes encoded bytes queued for one outgoing connection behind the message being
 *     written (or, while connecting, the first one); more drops them, closes the connection if
 *     it is up (the peer is not reading), and reports the peer down
 * @param maxMessageBytes largest message a receiver reassembles from chunks; a larger one closes
 *     that connection
 */
public record PeerLimits(int maxQueuedMessages, long maxPendingBytes, long maxMessageBytes) {
    public static final PeerLimits DEFAULT = new PeerLimits(10_000, 64L << 20, 1L << 30);

    public PeerLimits {
        if (maxQueuedMessages < 1 || maxPendingBytes < 1 || maxMessageBytes < 1) {
            throw new IllegalArgumentException("peer limits must be positive: " + maxQueuedMessages + ", "
                    + maxPendingBytes + ", " + maxMessageBytes);
        }
    }
}
