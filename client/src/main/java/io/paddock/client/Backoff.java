package io.paddock.client;

import java.util.Random;

/**
 * Delay before the next connection attempt. The first pass over the hosts goes fast (a short
 * random pause, so that many clients cut off together do not reconnect in lockstep); every
 * further full pass doubles the ceiling up to {@code maxMs}. The delay is drawn uniformly
 * below the ceiling ("full jitter").
 */
final class Backoff {
    private final int hostCount;
    private final long baseMs;
    private final long maxMs;
    private final Random random;
    private int failures;

    Backoff(int hostCount, long baseMs, long maxMs, Random random) {
        this.hostCount = Math.max(1, hostCount);
        this.baseMs = Math.max(1, baseMs);
        this.maxMs = Math.max(this.baseMs, maxMs);
        this.random = random;
    }

    /** Records a failed attempt and returns how long to wait before the next one. */
    long nextDelayMs() {
        int round = failures / hostCount;
        failures++;
        long ceiling = baseMs << Math.min(round, 20);
        ceiling = Math.min(ceiling, maxMs);
        return (long) (random.nextDouble() * ceiling);
    }

    /** A connection succeeded: start again from the short delays. */
    void reset() {
        failures = 0;
    }
}
