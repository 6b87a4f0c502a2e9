package io.paddock.server.admin;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.server.stats.Metrics;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The throttles' figures on the Prometheus page, under Apache's names. */
class ThrottleMetricsTest {
    @Test
    void theThrottlesCountersAndDeficitSummaryAreOnThePage() {
        Metrics metrics = new Metrics();
        metrics.connectionRejected.add(7);
        metrics.requestThrottleWaitCount.add(3);
        metrics.staleRequestsDropped.add(2);
        metrics.largeRequestsRejected.increment();
        metrics.connectionTokenDeficit.record(40);
        String page = MetricsPage.render(Map.of("connection_drop_probability", 0.25), metrics, false);
        for (String line : new String[] {"connection_rejected 7\n", "request_throttle_wait_count 3\n",
                "stale_requests_dropped 2\n", "stale_requests 0\n", "large_requests_rejected 1\n",
                "connection_token_deficit_count 1\n", "connection_token_deficit_sum 40\n",
                "connection_drop_probability 0.25\n"}) {
            assertTrue(page.contains("\n" + line), "missing " + line + page);
        }
    }
}
