package io.paddock.server.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.protocol.OpCode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Summaries, counters, the rate-limited warning and the storm detector, on a hand-driven clock. */
class StatsInstrumentsTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    @Test
    void summaryReportsQuantilesOfItsWindowAndTotalsSinceStart() {
        Summary s = new Summary("x", Summary.ADVANCED, 60, true, now::get);
        Summary.Reading empty = s.read();
        assertTrue(Double.isNaN(empty.values()[0]), "nothing recorded: NaN, as Prometheus expects");
        for (int v = 1; v <= 100; v++) {
            s.record(v);
        }
        Summary.Reading r = s.read();
        assertEquals(100, r.count());
        assertEquals(5050, r.sum());
        assertEquals(50, r.values()[0], 1);
        assertEquals(90, r.values()[1], 1);
        assertEquals(99, r.values()[2], 1);

        // One window later the old values still count (the previous window); two windows later not.
        now.addAndGet(TimeUnit.SECONDS.toNanos(61));
        s.record(1000);
        assertTrue(s.read().values()[0] < 100, "the previous window still counts");
        now.addAndGet(TimeUnit.SECONDS.toNanos(61));
        s.record(1000);
        Summary.Reading later = s.read();
        assertEquals(1000, later.values()[0], 10);
        assertEquals(102, later.count(), "the totals never forget");
        now.addAndGet(TimeUnit.SECONDS.toNanos(200));
        s.read();
        assertTrue(Double.isNaN(s.read().values()[0]), "an idle window reports NaN");
    }

    @Test
    void negativeValuesCountAsZero() {
        Summary s = new Summary("x", Summary.BASIC, 60, false, now::get);
        s.record(-5);
        assertEquals(0, s.read().sum());
        assertEquals(1, s.read().count());
    }

    @Test
    void requestsAreSplitIntoReadsAndUpdatesAndCountedByOperation() {
        Metrics m = new Metrics();
        m.requestAnswered(OpCode.GET_DATA, 3);
        m.requestAnswered(OpCode.GET_DATA, 4);
        m.requestAnswered(OpCode.CREATE, 10);
        m.requestAnswered(OpCode.CLOSE_SESSION, 1);
        m.requestAnswered(12345, 1); // an unknown op code is timed but not counted by name
        assertEquals(3, m.readLatency.read().count());
        assertEquals(2, m.updateLatency.read().count());
        assertEquals(2L, m.requestsByOp().get("getData"));
        assertEquals(1L, m.requestsByOp().get("create"));
        assertEquals(1L, m.requestsByOp().get("closeSession"));
        assertFalse(m.requestsByOp().containsKey("unknown"));
    }

    @Test
    void countersOnlyGoUp() {
        Counter c = new Metrics().commitCount;
        c.add(3);
        c.increment();
        assertEquals(4, c.get());
        assertThrows(IllegalArgumentException.class, () -> c.add(-1));
    }

    @Test
    void aWarningIsLoggedAtMostOncePerInterval() {
        RateLimitedLog log = new RateLimitedLog(LoggerFactory.getLogger(StatsInstrumentsTest.class), 60,
                TimeUnit.SECONDS, now::get);
        List<Boolean> logged = new ArrayList<>();
        logged.add(log.warn("first {}", 1));
        logged.add(log.warn("held back"));
        now.addAndGet(TimeUnit.SECONDS.toNanos(59));
        logged.add(log.warn("still held back"));
        now.addAndGet(TimeUnit.SECONDS.toNanos(2));
        logged.add(log.warn("next, naming the two held back"));
        assertEquals(List.of(true, false, false, true), logged);
    }

    @Test
    void aStormIsReportedOncePerSecondItLasts() {
        BurstDetector storm = new BurstDetector(3, now::get);
        assertFalse(storm.event(1));
        assertFalse(storm.event(1));
        assertTrue(storm.event(1), "the third event in a second is a storm");
        assertFalse(storm.event(5), "reported once per second");
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(1001));
        assertFalse(storm.event(2));
        assertTrue(storm.event(1));
        now.addAndGet(TimeUnit.SECONDS.toNanos(5));
        assertTrue(storm.event(10), "a burst at once");
        assertThrows(IllegalArgumentException.class, () -> new BurstDetector(0));
    }
}
