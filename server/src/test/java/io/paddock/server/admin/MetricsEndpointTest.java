package io.paddock.server.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.server.PaddockServer;
import io.paddock.server.config.ConfigException;
import io.paddock.server.config.ServerConfig;
import io.paddock.server.testing.Clients;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Prometheus endpoint of a standalone server, configured with Apache's metricsProvider keys. */
@Timeout(60)
class MetricsEndpointTest {
    private Path dir;

    @BeforeEach
    void makeDir() throws Exception {
        dir = Files.createTempDirectory("paddock-metrics-test");
    }

    @AfterEach
    void removeDir() throws Exception {
        AdminServerTest.deleteTree(dir);
    }

    private PaddockServer start(Map<String, String> extra) throws Exception {
        Map<String, String> cfg = new java.util.LinkedHashMap<>(Map.of("admin.enableServer", "false",
                "metricsProvider.className", MetricsConfig.PROMETHEUS_PROVIDER,
                "metricsProvider.httpHost", "127.0.0.1", "metricsProvider.httpPort", "0"));
        cfg.putAll(extra);
        return PaddockServer.start(ServerConfig.load(AdminServerTest.writeConfig(dir, cfg)));
    }

    @Test
    void valuesMoveUnderLoadAndThePageIsValidPrometheusText() throws Exception {
        try (PaddockServer server = start(Map.of())) {
            int port = server.metricsPort();
            assertTrue(port > 0);
            Map<String, Double> before = PrometheusPages.scrape(port);
            assertEquals(1.0, before.get("paddock_serving"));
            assertEquals(0.0, before.get("updatelatency_count"));
            assertTrue(Double.isNaN(before.get("updatelatency{quantile=\"0.99\"}")), "no writes yet");
            assertTrue(before.get("jvm_memory_bytes_used{area=\"heap\"}") > 0);
            assertTrue(before.get("process_cpu_seconds_total") > 0);

            ZooKeeper zk = Clients.connect(server.clientPort());
            try {
                int writes = 50;
                for (int i = 0; i < writes; i++) {
                    zk.create("/m" + i, new byte[100], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                }
                for (int i = 0; i < 30; i++) {
                    zk.getData("/m" + i, true, null);
                }
                zk.create("/eph", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);

                Map<String, Double> after = PrometheusPages.scrape(port);
                assertEquals(before.get("znode_count") + writes + 1, after.get("znode_count"));
                assertEquals(1.0, after.get("ephemerals_count"));
                assertEquals(30.0, after.get("watch_count"));
                assertEquals(1.0, after.get("global_sessions"));
                assertEquals(1.0, after.get("num_alive_connections"));
                assertTrue(after.get("approximate_data_size") >= before.get("approximate_data_size") + writes * 100);
                assertEquals(writes + 1.0, after.get("paddock_requests_total{op=\"create\"}"), "and the ephemeral");
                assertEquals(30.0, after.get("paddock_requests_total{op=\"getData\"}"));
                // createSession and the ephemeral create are updates too.
                assertTrue(after.get("updatelatency_count") >= writes + 1, after.toString());
                assertTrue(after.get("readlatency_count") >= 30);
                assertFalse(Double.isNaN(after.get("updatelatency{quantile=\"0.99\"}")));
                assertTrue(after.get("fsynctime_count") > 0, "every write was fsynced");
                assertTrue(after.get("sync_processor_batch_size_sum") >= writes);
                assertTrue(after.get("connection_request_count") >= 1);
                assertTrue(after.get("bytes_received_count") > writes * 100);
                assertTrue(after.get("packets_received") > before.get("packets_received"));
                assertEquals(1.0, after.get("dbinittime_count"));

                server.snapshotNow();
                Awaitility.await().atMost(Duration.ofSeconds(20)).until(
                        () -> PrometheusPages.scrape(port).get("snapshottime_count") >= 1);

                HttpResponse<String> page = PrometheusPages.get(port, "/metrics");
                boolean checked = PrometheusPages.promtoolAccepts(page.body());
                System.out.println("promtool check metrics " + (checked ? "passed" : "not installed; skipped"));
            } finally {
                zk.close();
            }
            Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> PrometheusPages.scrape(port).get("global_sessions") == 0.0);
        }
    }

    @Test
    void onlyMetricsIsServed() throws Exception {
        try (PaddockServer server = start(Map.of())) {
            assertEquals(404, PrometheusPages.get(server.metricsPort(), "/").statusCode());
            assertEquals(404, PrometheusPages.get(server.metricsPort(), "/commands").statusCode());
        }
    }

    @Test
    void jvmMetricsCanBeLeftOut() throws Exception {
        try (PaddockServer server = start(Map.of("metricsProvider.exportJvmInfo", "false"))) {
            Map<String, Double> page = PrometheusPages.scrape(server.metricsPort());
            assertFalse(page.keySet().stream().anyMatch(k -> k.startsWith("jvm_")), page.keySet().toString());
            assertTrue(page.containsKey("znode_count"));
        }
    }

    @Test
    void noProviderMeansNoEndpoint() throws Exception {
        try (PaddockServer server = start(Map.of("metricsProvider.className",
                "org.apache.zookeeper.metrics.impl.DefaultMetricsProvider"))) {
            assertEquals(-1, server.metricsPort());
        }
    }

    @Test
    void anUnknownProviderIsAConfigurationError() throws Exception {
        ConfigException e = assertThrows(ConfigException.class,
                () -> start(Map.of("metricsProvider.className", "com.example.NoSuchProvider")));
        assertTrue(e.getMessage().contains("metricsProvider.className") && e.getMessage().contains("zoo.cfg"),
                e.getMessage());
    }

    @Test
    void aTakenMetricsPortStopsTheServerFromStarting() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Exception e = assertThrows(java.io.UncheckedIOException.class,
                    () -> start(Map.of("metricsProvider.httpPort", Integer.toString(taken.getLocalPort()))));
            assertTrue(e.getMessage().contains("metricsProvider.httpPort"), e.getMessage());
        }
        // Nothing was left holding the data directory.
        try (PaddockServer again = start(Map.of())) {
            assertTrue(again.metricsPort() > 0);
        }
    }
}
