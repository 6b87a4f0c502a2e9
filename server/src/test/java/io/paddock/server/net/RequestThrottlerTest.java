package io.paddock.server.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.server.config.ThrottleConfig;
import io.paddock.server.stats.Metrics;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The request throttle's queue, driven without its thread: {@link RequestThrottler#drain()} is each look. */
class RequestThrottlerTest {
    private final Metrics metrics = new Metrics();
    private final List<String> submitted = new ArrayList<>();
    private final List<String> dropped = new ArrayList<>();

    private final class Item implements RequestThrottler.Item {
        final String name;
        boolean stale;

        Item(String name) {
            this.name = name;
        }

        @Override
        public void submit() {
            submitted.add(name);
        }

        @Override
        public boolean stale() {
            return stale;
        }

        @Override
        public void drop() {
            dropped.add(name);
        }
    }

    private RequestThrottler throttler(int max, boolean dropStale) {
        return new RequestThrottler(new ThrottleConfig.Request(max, 100, dropStale), metrics);
    }

    @Test
    void offWhenMaxRequestsIsZero() {
        RequestThrottler t = throttler(0, true);
        for (int i = 0; i < 100; i++) {
            t.offer(new Item("r" + i));
        }
        assertEquals(100, submitted.size());
        assertEquals(0, t.waiting());
        assertFalse(t.drain());
    }

    @Test
    void pastTheLimitRequestsWaitInOrderAndGoOnAsAnswersComeBack() {
        RequestThrottler t = throttler(2, true);
        t.offer(new Item("a"));
        t.offer(new Item("b"));
        t.offer(new Item("c"));
        assertEquals(List.of("a", "b"), submitted);
        assertTrue(t.drain(), "c must wait: 2 in process");
        assertEquals(1, metrics.requestThrottleWaitCount.get());
        t.finished();
        // Room now, but c waits: a newer request may not overtake it.
        t.offer(new Item("d"));
        assertEquals(List.of("a", "b"), submitted);
        assertTrue(t.drain(), "c goes on, d waits");
        assertEquals(List.of("a", "b", "c"), submitted);
        assertEquals(2, metrics.requestThrottleWaitCount.get());
        t.finished();
        t.finished();
        assertFalse(t.drain());
        assertEquals(List.of("a", "b", "c", "d"), submitted);
        assertEquals(1, t.inProcess());
        assertEquals(0, metrics.staleRequestsDropped.get());
    }

    @Test
    void aWaitingRequestWhoseConnectionClosedIsDroppedUnanswered() {
        RequestThrottler t = throttler(1, true);
        t.offer(new Item("a"));
        Item gone = new Item("gone");
        t.offer(gone);
        t.offer(new Item("b"));
        gone.stale = true;
        assertTrue(t.drain(), "the stale head is dropped even while there is no room; b waits");
        assertEquals(List.of("gone"), dropped);
        assertEquals(1, metrics.staleRequestsDropped.get());
        t.finished();
        assertFalse(t.drain());
        assertEquals(List.of("a", "b"), submitted);
    }

    @Test
    void withDropStaleOffAStaleRequestGoesOnAndIsCounted() {
        RequestThrottler t = throttler(1, false);
        t.offer(new Item("a"));
        Item gone = new Item("gone");
        t.offer(gone);
        gone.stale = true;
        assertTrue(t.drain());
        t.finished();
        assertFalse(t.drain());
        assertEquals(List.of("a", "gone"), submitted);
        assertEquals(List.of(), dropped);
        assertEquals(1, metrics.staleRequests.get());
        assertEquals(0, metrics.staleRequestsDropped.get());
    }

    @Test
    void itsThreadHandsOnWaitingRequestsAndDropsTheRestWhenClosed() throws Exception {
        RequestThrottler t = throttler(1, true).start();
        try {
            t.offer(new Item("a"));
            t.offer(new Item("b"));
            t.offer(new Item("c"));
            t.finished();
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                    .until(() -> { synchronized (t) { return submitted.size() == 2; } });
        } finally {
            t.close();
        }
        synchronized (t) {
            assertEquals(List.of("a", "b"), submitted);
            assertEquals(List.of("c"), dropped);
        }
    }
}
