package io.paddock.server.admin;

import io.paddock.server.commands.MonitorFigures;
import io.paddock.server.core.Core;
import io.paddock.server.stats.Counter;
import io.paddock.server.stats.Metrics;
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
     * {@code quorum_size} in an ensemble and {@code paddock_serving}.
     */
    static Map<String, Number> gauges(Core core, ServerStats stats, int voters) {
        Map<String, Number> g = new LinkedHashMap<>();
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
        return g;
    }

    /** The whole page, given the gauges read on the core thread. */
    static String render(Map<String, Number> gauges, Metrics metrics, boolean jvm) {
        PrometheusText out = new PrometheusText();
        for (Map.Entry<String, Number> g : gauges.entrySet()) {
            out.single(g.getKey(), "gauge", g.getValue().doubleValue());
        }
        for (Counter c : metrics.counters()) {
            out.single(c.name(), "counter", c.get());
        }
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
}
