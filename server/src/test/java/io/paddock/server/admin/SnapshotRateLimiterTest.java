package io.paddock.server.admin;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SnapshotRateLimiterTest {
    private static final long MS = 1_000_000;

    @Test
    void onePerIntervalCountedFromTheLastAllowed() {
        AtomicLong now = new AtomicLong(5 * MS);
        SnapshotRateLimiter limiter = new SnapshotRateLimiter(100, now::get);
        assertTrue(limiter.tryAcquire(), "the first is always allowed");
        now.addAndGet(50 * MS);
        assertFalse(limiter.tryAcquire());
        now.addAndGet(50 * MS);
        assertFalse(limiter.tryAcquire(), "refused up to the interval's end");
        now.addAndGet(1);
        assertTrue(limiter.tryAcquire(), "a refusal does not extend the wait");
        assertFalse(limiter.tryAcquire());
    }

    @Test
    void zeroMeansNoLimit() {
        SnapshotRateLimiter limiter = new SnapshotRateLimiter(0, () -> 7);
        assertTrue(limiter.tryAcquire());
        assertTrue(limiter.tryAcquire());
    }
}
