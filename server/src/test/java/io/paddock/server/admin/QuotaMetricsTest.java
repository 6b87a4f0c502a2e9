package io.paddock.server.admin;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.protocol.Acls;
import io.paddock.protocol.QuotaText;
import io.paddock.server.stats.Metrics;
import io.paddock.server.stats.QuotaFigures;
import io.paddock.server.tree.DataTree;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Apache's quota gauges and refusal counter, by namespace, on the metrics page. */
class QuotaMetricsTest {
    private long zxid;

    private void create(DataTree t, String path, String data) {
        t.create(path, data == null ? null : data.getBytes(StandardCharsets.UTF_8), Acls.OPEN_ACL_UNSAFE, 0, ++zxid, 0);
    }

    @Test
    void limitsAndUsageSumPerNamespaceAndRefusalsAreCounted() {
        DataTree t = new DataTree(false);
        create(t, "/app", "1234");
        create(t, "/app/x", null);
        create(t, "/app/y", "12");
        create(t, "/zookeeper/quota/app", null);
        for (String sub : new String[] {"x", "y"}) {
            create(t, "/zookeeper/quota/app/" + sub, null);
        }
        create(t, QuotaText.limitsPath("/app/x"), QuotaText.limits(5, -1, 10, 100).toString());
        create(t, QuotaText.statsPath("/app/x"), "count=0,bytes=0");
        create(t, QuotaText.limitsPath("/app/y"), "count=7,bytes=50");
        create(t, QuotaText.statsPath("/app/y"), "count=0,bytes=0");

        Metrics metrics = new Metrics();
        metrics.quotaExceeded("app");
        metrics.quotaExceeded("app");
        Map<String, Object> gauges = new LinkedHashMap<>(QuotaFigures.of(t));
        String page = MetricsPage.render(gauges, metrics, false);

        // The hard limit where set (10, 100), else the soft one (7, 50).
        assertTrue(page.contains("# TYPE quota_count_limit_per_namespace gauge\n"
                + "quota_count_limit_per_namespace{key=\"app\"} 17\n"), page);
        assertTrue(page.contains("quota_bytes_limit_per_namespace{key=\"app\"} 150\n"), page);
        assertTrue(page.contains("quota_count_usage_per_namespace{key=\"app\"} 2\n"), page);
        assertTrue(page.contains("quota_bytes_usage_per_namespace{key=\"app\"} 2\n"), page);
        assertTrue(page.contains("# TYPE quota_exceeded_error_per_namespace counter\n"
                + "quota_exceeded_error_per_namespace{key=\"app\"} 2\n"), page);
    }
}
