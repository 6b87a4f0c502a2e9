package io.paddock.server.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.server.stats.Metrics;
import org.junit.jupiter.api.Test;

class LargeRequestsTest {
    private final Metrics metrics = new Metrics();

    @Test
    void onlyRequestsAboveTheThresholdCountAndTogetherTheyStayWithinMaxBytes() {
        LargeRequests large = new LargeRequests(250, 100, metrics);
        assertFalse(large.isLarge(100), "at the threshold is not above it");
        assertTrue(large.isLarge(101));
        assertTrue(large.reserve(150));
        assertTrue(large.reserve(100));
        assertFalse(large.reserve(101), "250 held; 101 more would pass 250");
        assertEquals(1, metrics.largeRequestsRejected.get());
        assertEquals(250, large.held());
        large.release(150);
        assertTrue(large.reserve(150));
        assertFalse(large.reserve(251), "larger than the bound alone");
        assertEquals(2, metrics.largeRequestsRejected.get());
    }

    @Test
    void aThresholdOfMinusOneTurnsItOff() {
        LargeRequests large = new LargeRequests(10, -1, metrics);
        assertFalse(large.isLarge(Integer.MAX_VALUE));
    }
}
