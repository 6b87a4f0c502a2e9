package io.paddock.server.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.server.config.ThrottleConfig;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The connection throttle's token bucket and random early drop, driven by a fake clock and a fixed "random" draw. */
class ConnectionThrottleTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private double draw = 0.99;

    private ConnectionThrottle throttle(int tokens, int fillTime, int fillCount, int freeze, double increase,
                                        double decrease, double ratio, int global, int renew) {
        return new ConnectionThrottle(new ThrottleConfig.Connection(tokens, fillTime, fillCount, freeze, increase,
                decrease, ratio, global, 1, renew), now::get, () -> draw);
    }

    @Test
    void withNoTokensConfiguredEveryHandshakeIsAdmitted() {
        ConnectionThrottle t = new ConnectionThrottle(ThrottleConfig.OFF.connection(), now::get, () -> 0.0);
        for (int i = 0; i < 10_000; i++) {
            assertTrue(t.admit(3));
        }
        assertEquals(0, t.deficit());
    }

    @Test
    void theBucketEmptiesAndRefillsProRataToTheTimeElapsed() {
        ConnectionThrottle t = throttle(5, 1000, 2, -1, 0.02, 0.002, 0, 1, 1);
        for (int i = 0; i < 5; i++) {
            assertTrue(t.admit(1), "token " + i);
        }
        assertFalse(t.admit(1), "the bucket is empty");
        assertEquals(5, t.deficit());
        now.addAndGet(1000);
        assertFalse(t.admit(1), "a refill waits until more than fillTime has passed");
        now.addAndGet(1);
        assertTrue(t.admit(1));
        assertTrue(t.admit(1));
        assertFalse(t.admit(1), "1001 ms bring back 2 tokens");
        now.addAndGet(60_000);
        assertTrue(t.admit(1));
        assertEquals(1, t.deficit(), "a long pause refills up to the bucket's size, no further");
    }

    @Test
    void aNewSessionWeighsTheGlobalWeightAndAReconnectTheRenewWeight() {
        ConnectionThrottle t = throttle(9, 1000, 1, -1, 0.02, 0.002, 0, 3, 2);
        assertEquals(3, t.weight(0));
        assertEquals(2, t.weight(0x1234L));
        assertTrue(t.admit(t.weight(0)));
        assertTrue(t.admit(t.weight(0)));
        assertTrue(t.admit(t.weight(7)));
        assertFalse(t.admit(t.weight(0)), "1 token left, a new session needs 3");
        assertTrue(t.admit(1));
    }

    @Test
    void randomEarlyDropRisesWhileTheBucketStaysEmptyAndFallsOnceItRefills() {
        ConnectionThrottle t = throttle(2, 100, 2, 10, 0.5, 0.25, 0, 1, 1);
        assertTrue(t.admit(1));
        assertTrue(t.admit(1));
        assertEquals(0.0, t.dropChance());
        now.addAndGet(11);
        draw = 0.4;
        assertFalse(t.admit(1), "the bucket was empty at the freeze check: drop chance 0.5, draw 0.4");
        assertEquals(0.5, t.dropChance());
        now.addAndGet(11);
        assertFalse(t.admit(1));
        assertEquals(1.0, t.dropChance(), "still empty: up again, capped at 1");
        // The bucket refills (2 tokens after 101 ms); the next freeze check sees it full and lowers the chance.
        now.addAndGet(101);
        draw = 0.8;
        assertTrue(t.admit(1), "chance 0.75 now, draw 0.8: past the random drop, and a token is there");
        assertEquals(0.75, t.dropChance());
    }

    @Test
    void withoutAFreezeTimeNothingIsDroppedAtRandom() {
        ConnectionThrottle t = throttle(1, 100, 1, -1, 1.0, 0, 0, 1, 1);
        draw = 0.0;
        assertTrue(t.admit(1));
        now.addAndGet(1_000);
        assertTrue(t.admit(1));
        assertEquals(0.0, t.dropChance());
    }
}
