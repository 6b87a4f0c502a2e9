package io.paddock.server.net;

/**
 * Per-connection figures for the cons and stat four-letter words. Written by the event loop and
 * the core thread, read by the core thread; plain volatile fields are precise enough here.
 */
final class ConnectionStats {
    private final long createdMs = System.currentTimeMillis();
    private volatile long received;
    private volatile long sent;
    private volatile long sessionId;
    private volatile int timeoutMs;
    private volatile int lastOp = -1000;
    private volatile long lastCxid = -1;
    private volatile long lastZxid = -1;
    private volatile long lastResponseMs;
    private volatile long lastLatencyMs;
    private volatile long minLatencyMs = Long.MAX_VALUE;
    private volatile long maxLatencyMs;
    private volatile long totalLatencyMs;
    private volatile long count;

    void received() {
        received++;
    }

    void sent() {
        sent++;
    }

    void established(long id, int timeout) {
        sessionId = id;
        timeoutMs = timeout;
    }

    void replied(int xid, int op, long zxid, long latencyMs) {
        lastOp = op;
        lastCxid = xid;
        lastZxid = zxid;
        // Apache reports the last response as elapsed (monotonic) milliseconds.
        lastResponseMs = System.nanoTime() / 1_000_000;
        lastLatencyMs = latencyMs;
        minLatencyMs = Math.min(minLatencyMs, latencyMs);
        maxLatencyMs = Math.max(maxLatencyMs, latencyMs);
        totalLatencyMs += latencyMs;
        count++;
    }

    void reset() {
        received = 0;
        sent = 0;
        lastOp = -1000;
        lastCxid = -1;
        lastZxid = -1;
        lastResponseMs = 0;
        lastLatencyMs = 0;
        minLatencyMs = Long.MAX_VALUE;
        maxLatencyMs = 0;
        totalLatencyMs = 0;
        count = 0;
    }

    long createdMs() {
        return createdMs;
    }

    long received0() {
        return received;
    }

    long sent0() {
        return sent;
    }

    long sessionId() {
        return sessionId;
    }

    int timeoutMs() {
        return timeoutMs;
    }

    int lastOp() {
        return lastOp;
    }

    long lastCxid() {
        return lastCxid;
    }

    long lastZxid() {
        return lastZxid;
    }

    long lastResponseMs() {
        return lastResponseMs;
    }

    long lastLatencyMs() {
        return lastLatencyMs;
    }

    long minLatencyMs() {
        return count == 0 ? 0 : minLatencyMs;
    }

    long maxLatencyMs() {
        return maxLatencyMs;
    }

    long avgLatencyMs() {
        return count == 0 ? 0 : totalLatencyMs / count;
    }
}
