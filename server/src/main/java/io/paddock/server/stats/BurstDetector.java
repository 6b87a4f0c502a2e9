package io.paddock.server.stats;

import java.util.function.LongSupplier;

/**
 * Notices a storm: at least {@code threshold} events within one second. {@link #event} answers
 * true once per second in which the threshold is reached, so a caller can warn about it. Cheap
 * enough for events like a new connection or an expired session (one short synchronized step).
 */
public final class BurstDetector {
    private static final long SECOND_NANOS = 1_000_000_000L;
    private final int threshold;
    private final LongSupplier nanoClock;
    private long windowStartNanos;
    private int count;

    public BurstDetector(int threshold) {
        this(threshold, System::nanoTime);
    }

    BurstDetector(int threshold, LongSupplier nanoClock) {
        if (threshold < 1) {
            throw new IllegalArgumentException("storm threshold must be at least 1: " + threshold);
        }
        this.threshold = threshold;
        this.nanoClock = nanoClock;
        this.windowStartNanos = nanoClock.getAsLong();
    }

    /** Counts {@code n} events; true when they bring this second's count to the threshold. */
    public synchronized boolean event(int n) {
        long now = nanoClock.getAsLong();
        if (now - windowStartNanos >= SECOND_NANOS) {
            windowStartNanos = now;
            count = 0;
        }
        int before = count;
        count += n;
        return before < threshold && count >= threshold;
    }

    public int threshold() {
        return threshold;
    }
}
