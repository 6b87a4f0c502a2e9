package io.paddock.server.admin;

import io.paddock.server.commands.MonitorFigures;
import io.paddock.server.core.Core;
import io.paddock.server.stats.Counter;
import io.paddock.server.stats.Metrics;
import io.paddock.server.stats.QuotaFigures;
import io.paddock.server.stats.ServerStats;
import io.paddock.server.stats.Summary;
import io.paddock.server.replication.ReplicationStatus;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The page Prometheus scrapes: the live gauges (read on the core thread, one consistent view),
 * then the recorded counters and summaries, then Paddock's own figures and the JVM's.
 */
final class MetricsPage {
    private MetricsPage() {
    }

    /**
     * The gauges, read from the live state; on the core thread only. The names and the set are
     * Apache's mntr figures (leader-only ones on the leader only, as Apache registers them), plus
     * {@code quorum_size} in an ensemble and {@code paddock_serving}; then Apache's per-namespace
     * quota gauges, each a map from namespace to value (labelled {@code key}, as Apache's exporter does).
     */
    static Map<String, Object> gauges(Core core, ServerStats stats, int voters) {
        Map<String, Object> g = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : MonitorFigures.live(core, stats).entrySet()) {
            if (e.getValue() instanceof Number n) {
                g.put(e.getKey(), n);
            }
        }
        ReplicationStatus rs = core.replication();
        if (!rs.standalone()) {
            g.put("quorum_size", voters);
        }
        g.put("paddock_serving", core.serving() ? 1 : 0);
        g.putAll(QuotaFigures.of(core.stateMachine().tree()));
        return g;
    }

    /** The whole page, given the gauges read on the core thread. */
    static String render(Map<String, ?> gauges, Metrics metrics, boolean jvm) {
        PrometheusText out = new PrometheusText();
        for (Map.Entry<String, ?> g : gauges.entrySet()) {
            if (g.getValue() instanceof Number n) {
                out.single(g.getKey(), "gauge", n.doubleValue());
            } else if (g.getValue() instanceof Map<?, ?> byKey) {
                labelled(out, g.getKey(), "gauge", byKey);
            }
        }
        for (Counter c : metrics.counters()) {
            out.single(c.name(), "counter", c.get());
        }
        labelled(out, QuotaFigures.EXCEEDED, "counter", metrics.quotaExceededByNamespace());
        for (Summary s : metrics.summaries()) {
            out.summary(s.read());
        }
        out.family("paddock_requests_total", "counter", "Requests answered, by operation");
        for (Map.Entry<String, Long> e : metrics.requestsByOp().entrySet()) {
            out.sample("paddock_requests_total", Map.of("op", e.getKey()), e.getValue());
        }
        if (jvm) {
            JvmFigures.write(out);
        }
        return out.toString();
    }

    private static void labelled(PrometheusText out, String name, String type, Map<?, ?> byKey) {
        out.family(name, type, name);
        for (Map.Entry<?, ?> e : byKey.entrySet()) {
            out.sample(name, Map.of("key", String.valueOf(e.getKey())), ((Number) e.getValue()).doubleValue());
        }
    }
}
