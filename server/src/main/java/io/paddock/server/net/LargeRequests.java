package io.paddock.server.net;

import io.paddock.server.stats.Metrics;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The large-request bound (Apache's largeRequestMaxBytes / largeRequestThreshold): a request of
 * more than {@code threshold} bytes holds its size against {@code maxBytes} from arrival until it
 * is answered; one that would pass the bound is refused, and its connection closed (the client
 * sees a connection loss and keeps its session). Smaller requests are never counted.
 */
final class LargeRequests {
    private final int maxBytes;
    private final int threshold;
    private final Metrics metrics;
    private final AtomicLong held = new AtomicLong();

    LargeRequests(int maxBytes, int threshold, Metrics metrics) {
        this.maxBytes = maxBytes;
        this.threshold = threshold;
        this.metrics = metrics;
    }

    /** Whether a request of this many bytes is counted at all. */
    boolean isLarge(int bytes) {
        return threshold != -1 && bytes > threshold;
    }

    /** Holds a large request's bytes; false (and counted in large_requests_rejected) when they do not fit. */
    boolean reserve(int bytes) {
        if (held.addAndGet(bytes) > maxBytes) {
            held.addAndGet(-bytes);
            metrics.largeRequestsRejected.increment();
            return false;
        }
        return true;
    }

    /** Gives back what {@link #reserve} held, once the request is answered or given up. */
    void release(int bytes) {
        held.addAndGet(-bytes);
    }

    /** Bytes large requests hold now. */
    long held() {
        return held.get();
    }

    int maxBytes() {
        return maxBytes;
    }

    int threshold() {
        return threshold;
    }
}
