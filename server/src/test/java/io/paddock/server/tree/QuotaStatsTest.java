package io.paddock.server.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.paddock.protocol.Acls;
import io.paddock.protocol.QuotaText;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tree keeps a quota's zookeeper_stats as Apache does: the subtree's node count and data bytes. */
class QuotaStatsTest {
    private long zxid;

    private Node create(DataTree t, String path, String data) {
        return t.create(path, data == null ? null : data.getBytes(StandardCharsets.UTF_8), Acls.OPEN_ACL_UNSAFE, 0,
                ++zxid, 0);
    }

    private static String stats(DataTree t, String path) {
        return new String(t.get(QuotaText.statsPath(path)).data(), StandardCharsets.UTF_8);
    }

    /** What zkCli's setquota does: the quota path's nodes, the limits, then stats at zero. */
    private void setQuota(DataTree t, String path, QuotaText limits) {
        StringBuilder p = new StringBuilder(DataTree.QUOTA);
        for (String segment : path.substring(1).split("/")) {
            p.append('/').append(segment);
            if (t.get(p.toString()) == null) {
                create(t, p.toString(), null);
            }
        }
        create(t, QuotaText.limitsPath(path), limits.toString());
        create(t, QuotaText.statsPath(path), QuotaText.usage(0, 0).toString());
    }

    @Test
    void statsCountTheSubtreeAtCreationAndFollowEveryChange() {
        DataTree t = new DataTree(false);
        create(t, "/a", "12345");
        create(t, "/a/b", "xy");
        setQuota(t, "/a", QuotaText.limits(-1, -1, 5, -1));
        assertEquals("count=2,bytes=7", stats(t, "/a"));
        assertEquals("/a", t.quotaRootOf("/a/b/c"));
        assertNull(t.quotaRootOf("/ab"));

        create(t, "/a/b/c", "123");
        assertEquals("count=3,bytes=10", stats(t, "/a"));
        t.setData("/a/b", "x".getBytes(StandardCharsets.UTF_8), ++zxid, 0);
        assertEquals("count=3,bytes=9", stats(t, "/a"));
        t.delete("/a/b/c", ++zxid);
        assertEquals("count=2,bytes=6", stats(t, "/a"));

        t.delete(QuotaText.statsPath("/a"), ++zxid);
        t.delete(QuotaText.limitsPath("/a"), ++zxid);
        assertNull(t.quotaRootOf("/a/b"));
    }

    @Test
    void aRestoredTreeRecountsItsQuotas() {
        DataTree t = new DataTree(false);
        create(t, "/a", "12345");
        setQuota(t, "/a", QuotaText.limits(3, -1, -1, -1));
        create(t, "/a/c", "1");
        List<NodeImage> images = new ArrayList<>();
        SnapshotCursor cursor = t.startSnapshot(zxid);
        cursor.emit(Integer.MAX_VALUE, images::add);
        DataTree restored = DataTree.restore(false, images);
        assertEquals("count=2,bytes=6", stats(restored, "/a"));
        create(restored, "/a/d", "22");
        assertEquals("count=3,bytes=8", stats(restored, "/a"));
    }
}
