package io.paddock.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The text forms of quota nodes, as Apache's StatsTrack reads and writes them. */
class QuotaTextTest {
    @Test
    void limitsAsZkCliWritesThemCarryAllFourFigures() {
        QuotaText q = QuotaText.limits(-1, -1, 10, -1);
        assertEquals("count=-1,bytes=-1=;byteHardLimit=-1;countHardLimit=10", q.toString());
        assertEquals(q, QuotaText.parse(q.toString()));
        assertEquals(10, q.effectiveCountLimit());
        assertEquals(-1, q.effectiveByteLimit());
    }

    @Test
    void theOldFormAndUsageStayTwoFigures() {
        QuotaText old = QuotaText.parse("count=5,bytes=100");
        assertEquals(5, old.effectiveCountLimit());
        assertEquals(100, old.effectiveByteLimit());
        assertEquals("count=5,bytes=100", old.toString());
        assertEquals("count=3,bytes=12", QuotaText.usage(3, 12).toString());
    }

    @Test
    void aHardLimitWinsOverTheSoftOneAndEmptyValuesMeanNone() {
        QuotaText q = QuotaText.parse("count=2,bytes==;byteHardLimit=50;countHardLimit=");
        assertEquals(2, q.effectiveCountLimit());
        assertEquals(50, q.effectiveByteLimit());
        assertEquals(-1, q.bytes());
    }

    @Test
    void paths() {
        assertEquals("/zookeeper/quota/a/b/zookeeper_limits", QuotaText.limitsPath("/a/b"));
        assertEquals("/zookeeper/quota/a/zookeeper_stats", QuotaText.statsPath("/a"));
        assertEquals("a", QuotaText.namespaceOf("/a/b"));
        assertEquals("a", QuotaText.namespaceOf("/a"));
    }
}
