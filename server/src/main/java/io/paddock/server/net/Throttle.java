package io.paddock.server.net;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server-wide bound on requests between arrival and reply (globalOutstandingLimit). Past the
 * limit, the connection that pushed it over stops reading; paused connections resume once half
 * the limit has drained, so the core's inbound queue stays bounded whatever the client count.
 */
final class Throttle {
    private final int limit;
    private final AtomicInteger outstanding = new AtomicInteger();
    private final ConcurrentLinkedQueue<ClientConnection> paused = new ConcurrentLinkedQueue<>();

    Throttle(int limit) {
        this.limit = limit;
    }

    /** Counts a request in; true when the caller should stop reading. */
    boolean acquire() {
        return outstanding.incrementAndGet() > limit;
    }

    void pause(ClientConnection conn) {
        paused.add(conn);
        if (outstanding.get() <= limit / 2) {
            resumeAll();
        }
    }

    void release() {
        if (outstanding.decrementAndGet() <= limit / 2 && !paused.isEmpty()) {
            resumeAll();
        }
    }

    private void resumeAll() {
        ClientConnection conn;
        while ((conn = paused.poll()) != null) {
            conn.resumeReading();
        }
    }
}
