package io.paddock.server.limits;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.server.testing.Clients;
import io.paddock.server.testing.ServerProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Sockets that connect and never speak (or send half a handshake) to the client port, the admin
 * server and the metrics endpoint of a real server process are all closed within their bounds
 * (here 2 s for the first two, the fixed 30 s for metrics), those beyond an HTTP endpoint's cap
 * of 100 at once, while a real Apache client keeps working. One metrics slot is the keep-alive
 * connection of the readiness check.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SilentConnectionsIT {
    private static final int BOUND_MS = 2000;
    private final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void closeSockets() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
    }

    @Test
    void silentAndHalfHandshakesAndIdleHttpConnectionsAreClosedWhileClientsAreServed() throws Exception {
        List<Integer> ports = Clients.freePorts(2);
        int admin = ports.get(0);
        int metrics = ports.get(1);
        try (ServerProcess server = ServerProcess.start(Map.of(
                "maxClientCnxns", "0",
                "nio.sessionlessCnxnTimeout", Integer.toString(BOUND_MS),
                "admin.enableServer", "true", "admin.serverAddress", "127.0.0.1",
                "admin.serverPort", Integer.toString(admin), "admin.idleTimeout", Integer.toString(BOUND_MS),
                "metricsProvider.className", "org.apache.zookeeper.metrics.prometheus.PrometheusMetricsProvider",
                "metricsProvider.httpHost", "127.0.0.1", "metricsProvider.httpPort", Integer.toString(metrics)),
                "-Xmx128m").awaitServing()) {
            String ruokUrl = "http://127.0.0.1:" + admin + "/commands/ruok";
            String metricsUrl = "http://127.0.0.1:" + metrics + "/metrics";
            await().atMost(Duration.ofSeconds(30)).until(() -> status(ruokUrl) == 200 && status(metricsUrl) == 200);
            for (int i = 0; i < 300; i++) {
                sockets.add(new Socket("127.0.0.1", server.port()));
            }
            for (int i = 0; i < 50; i++) {
                Socket s = new Socket("127.0.0.1", server.port());
                OutputStream out = s.getOutputStream();
                out.write(new byte[] {0, 0, 0, 45, 0, 0, 0, 0, 0, 0, 0, 0}); // a connect request's length, then a third of it
                out.flush();
                sockets.add(s);
            }
            for (int i = 0; i < 150; i++) {
                sockets.add(new Socket("127.0.0.1", admin));
                sockets.add(new Socket("127.0.0.1", metrics));
            }
            long opened = System.nanoTime();

            try (ZooKeeper zk = Clients.connect(server.connectString())) {
                zk.create("/served", "x".getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                // Beyond its cap of 100, a metrics connection is closed at once; the rest after 30 s.
                await().atMost(Duration.ofMillis(BOUND_MS * 5L)).pollInterval(Duration.ofMillis(100))
                        .untilAsserted(() -> assertEquals(Map.of(metrics, 99L), stillOpen(), "sockets still open, by port"));
                long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - opened);
                System.out.printf("client port and admin sockets closed by the server within %d ms%n", tookMs);
                assertEquals("x", new String(zk.getData("/served", false, null), StandardCharsets.UTF_8));
                await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(200))
                        .untilAsserted(() -> assertEquals(Map.of(), stillOpen(), "sockets still open, by port"));
                tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - opened);
                System.out.printf("%d silent sockets closed by the server within %d ms%n", sockets.size(), tookMs);
                assertEquals("x", new String(zk.getData("/served", false, null), StandardCharsets.UTF_8));
            }
            assertTrue(server.process().isAlive(), server.output());
            assertEquals(200, status(ruokUrl));
            assertEquals(200, status(metricsUrl));
            try (ZooKeeper zk = Clients.connect(server.connectString())) {
                assertEquals(1, zk.exists("/served", false).getVersion() + 1);
            }
        }
    }

    private Map<Integer, Long> stillOpen() {
        return sockets.stream().filter(s -> !closedByServer(s))
                .collect(Collectors.groupingBy(Socket::getPort, Collectors.counting()));
    }

    /** Whether the server has closed this socket: a read sees the end of the stream (or a reset). */
    private static boolean closedByServer(Socket s) {
        try {
            s.setSoTimeout(1);
            return s.getInputStream().read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /** The status of a GET, or -1 when the endpoint cannot be reached. */
    private static int status(String url) throws InterruptedException {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        }
    }
}
