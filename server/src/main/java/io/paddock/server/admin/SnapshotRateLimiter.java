package io.paddock.server.admin;

import java.util.function.LongSupplier;

/**
 * Lets one snapshot through per interval: a request is allowed when no request was allowed within
 * the last {@code intervalMs} (the first always is; 0 allows every request). A refused request
 * does not extend the wait. Thread-safe.
 */
final class SnapshotRateLimiter {
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private boolean allowedBefore;
    private long lastAllowedNanos;

    SnapshotRateLimiter(long intervalMs) {
        this(intervalMs, System::nanoTime);
    }

    SnapshotRateLimiter(long intervalMs, LongSupplier nanoClock) {
        this.intervalNanos = intervalMs * 1_000_000;
        this.nanoClock = nanoClock;
    }

    /** Whether a snapshot may be taken now; if so, the interval starts again. */
    synchronized boolean tryAcquire() {
        if (intervalNanos == 0) {
            return true;
        }
        long now = nanoClock.getAsLong();
        if (allowedBefore && now - lastAllowedNanos <= intervalNanos) {
            return false;
        }
        allowedBefore = true;
        lastAllowedNanos = now;
        return true;
    }
}
