package io.paddock.server.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.paddock.server.PaddockServer;
import io.paddock.server.config.ServerConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The admin HTTP server of a real standalone server started from a zoo.cfg file, asked over real HTTP. */
@Timeout(60)
class AdminServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Path dir;
    private PaddockServer server;

    @BeforeEach
    void startServer() throws IOException {
        dir = Files.createTempDirectory("paddock-admin-test");
        server = PaddockServer.start(ServerConfig.load(writeConfig(dir, Map.of("admin.serverPort", "0"))));
    }

    @AfterEach
    void stopServer() throws IOException {
        if (server != null) {
            server.close();
        }
        deleteTree(dir);
    }

    static Path writeConfig(Path dir, Map<String, String> extra) throws IOException {
        Map<String, String> cfg = new LinkedHashMap<>();
        cfg.put("tickTime", "2000");
        cfg.put("dataDir", dir.resolve("data").toString());
        cfg.put("clientPort", "0");
        cfg.put("clientPortAddress", "127.0.0.1");
        cfg.put("preAllocSize", "1024");
        cfg.put("admin.serverAddress", "127.0.0.1");
        cfg.putAll(extra);
        StringBuilder sb = new StringBuilder();
        cfg.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        Path file = dir.resolve("zoo.cfg");
        Files.writeString(file, sb.toString());
        return file;
    }

    static void deleteTree(Path root) throws IOException {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.adminPort() + path))
                .timeout(Duration.ofSeconds(10)).GET().build();
        return http.send(req, HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode command(String name) throws IOException, InterruptedException {
        return command(name, name);
    }

    /** Runs a command asked for as {@code name}; Apache names it by {@code primary} in the answer. */
    private JsonNode command(String name, String primary) throws IOException, InterruptedException {
        HttpResponse<String> resp = get("/commands/" + name);
        assertEquals(200, resp.statusCode(), name + ": " + resp.body());
        assertTrue(resp.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonNode json = JSON.readTree(resp.body());
        assertEquals(primary, json.path("command").asText(), resp.body());
        assertTrue(json.has("error"), resp.body());
        return json;
    }

    private static void assertFields(JsonNode json, String... fields) {
        for (String f : fields) {
            assertTrue(json.has(f), "missing " + f + " in " + json);
        }
    }

    private ZooKeeper connect() throws Exception {
        CountDownLatch up = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper("127.0.0.1:" + server.clientPort(), 10_000, e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                up.countDown();
            }
        });
        assertTrue(up.await(10, TimeUnit.SECONDS));
        return zk;
    }

    @Test
    void everyCommandAnswersApacheJson() throws Exception {
        assertTrue(server.adminPort() > 0);
        ZooKeeper zk = connect();
        try {
            zk.create("/w", new byte[3], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            zk.create("/e", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
            zk.getData("/w", true, null);
            long sid = zk.getSessionId();

            assertTrue(command("ruok").get("error").isNull());

            for (String name : List.of("server_stats", "srvr")) {
                JsonNode srvr = command(name, "server_stats");
                assertTrue(srvr.get("error").isNull(), srvr.toString());
                assertFields(srvr, "version", "read_only", "server_stats", "client_response", "node_count");
                assertFields(srvr.get("server_stats"), "packets_sent", "packets_received", "last_processed_zxid",
                        "outstanding_requests", "server_state", "avg_latency", "max_latency", "min_latency",
                        "num_alive_client_connections", "uptime", "data_dir_size", "log_dir_size");
                assertEquals("standalone", srvr.get("server_stats").get("server_state").asText());
                assertEquals(7, srvr.get("node_count").asInt(), "Apache counts the root twice: " + srvr);
                assertTrue(srvr.get("version").asText().startsWith("3.9."), srvr.toString());
            }

            JsonNode stats = command("stats");
            assertFields(stats, "server_stats", "node_count", "connections");
            assertEquals(1, stats.get("connections").size(), stats.toString());
            assertFields(stats.get("connections").get(0), "remote_socket_address", "outstanding_requests",
                    "packets_received", "packets_sent");
            command("stat", "stats");

            for (String name : List.of("configuration", "conf")) {
                JsonNode conf = command(name, "configuration");
                assertFields(conf, "client_port", "data_dir", "data_dir_size", "data_log_dir", "tick_time",
                        "max_client_cnxns", "min_session_timeout", "max_session_timeout", "server_id");
                assertEquals(2000, conf.get("tick_time").asInt());
                assertEquals(40000, conf.get("max_session_timeout").asInt());
                assertTrue(conf.get("data_dir").asText().endsWith("version-2"), conf.toString());
            }

            JsonNode cons = command("connections");
            assertEquals(1, cons.get("connections").size(), cons.toString());
            JsonNode conn = cons.get("connections").get(0);
            assertFields(conn, "remote_socket_address", "interest_ops", "outstanding_requests", "packets_received",
                    "packets_sent", "session_id", "last_operation", "established", "session_timeout", "last_cxid",
                    "last_zxid", "last_response_time", "last_latency", "min_latency", "avg_latency", "max_latency");
            assertEquals(sid, conn.get("session_id").asLong());
            assertEquals(10_000, conn.get("session_timeout").asInt());
            assertTrue(conn.get("remote_socket_address").asText().startsWith("127.0.0.1:"), conn.toString());
            assertTrue(conn.get("packets_received").asLong() > 0, conn.toString());
            command("cons", "connections");

            JsonNode dump = command("dump");
            assertFields(dump, "expiry_time_to_session_ids", "session_id_to_ephemeral_paths");
            assertEquals("/e", dump.get("session_id_to_ephemeral_paths").get(Long.toString(sid)).get(0).asText(),
                    dump.toString());
            assertEquals(1, dump.get("expiry_time_to_session_ids").size(), dump.toString());

            for (String name : List.of("environment", "envi")) {
                JsonNode envi = command(name, "environment");
                assertFields(envi, "zookeeper.version", "host.name", "java.version", "os.name", "os.memory.free");
            }

            for (String name : List.of("monitor", "mntr")) {
                JsonNode mntr = command(name, "monitor");
                assertEquals("standalone", mntr.get("server_state").asText());
                assertEquals(7, mntr.get("znode_count").asInt());
                assertEquals(1, mntr.get("ephemerals_count").asInt());
                assertEquals(1, mntr.get("watch_count").asInt());
                assertEquals(1, mntr.get("global_sessions").asInt());
                assertFields(mntr, "version", "avg_latency", "packets_received", "num_alive_connections",
                        "outstanding_requests", "approximate_data_size", "uptime");
            }

            for (String name : List.of("watch_summary", "wchs")) {
                JsonNode wchs = command(name, "watch_summary");
                assertEquals(1, wchs.get("num_connections").asInt(), wchs.toString());
                assertEquals(1, wchs.get("num_paths").asInt(), wchs.toString());
                assertEquals(1, wchs.get("num_total_watches").asInt(), wchs.toString());
            }
            JsonNode wchc = command("watches");
            assertEquals("/w", wchc.get("session_id_to_watched_paths").get(Long.toString(sid)).get(0).asText(),
                    wchc.toString());
            command("wchc", "watches");
            JsonNode wchp = command("watches_by_path");
            assertEquals(sid, wchp.get("path_to_session_ids").get("/w").get(0).asLong(), wchp.toString());
            command("wchp", "watches_by_path");

            JsonNode dirs = command("dirs");
            assertTrue(dirs.get("logdir_size").asLong() > 0, dirs.toString());
            assertFields(dirs, "datadir_size");

            for (String name : List.of("is_read_only", "isro")) {
                assertFalse(command(name, "is_read_only").get("read_only").asBoolean());
            }

            // A standalone server is no quorum member: Apache answers leader with an error.
            JsonNode lead = command("leader");
            assertEquals("server is not initialized", lead.get("error").asText(), lead.toString());
            command("lead", "leader");

            JsonNode vote = command("voting_view");
            assertTrue(vote.get("current_config").isObject() && vote.get("current_config").isEmpty(), vote.toString());

            JsonNode zab = command("zabstate");
            assertFalse(zab.get("voting").asBoolean());
            assertEquals("", zab.get("zabstate").asText());

            server.snapshotNow();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> !command("last_snapshot").get("zxid").asText().equals("ffffffffffffffff"));
            JsonNode lsnp = command("lsnp", "last_snapshot");
            assertTrue(lsnp.get("timestamp").asLong() > 1_000_000_000L && lsnp.get("timestamp").asLong() < 100_000_000_000L,
                    "seconds since the epoch: " + lsnp);
            assertTrue(lsnp.get("zxid").asText().matches("[0-9a-f]+"), lsnp.toString());

            for (String name : List.of("system_properties", "sysp")) {
                JsonNode sysp = command(name, "system_properties");
                assertEquals(System.getProperty("java.version"), sysp.get("java.version").asText());
            }

            for (String name : List.of("initial_configuration", "icfg")) {
                JsonNode icfg = command(name, "initial_configuration");
                assertTrue(icfg.get("initial_configuration").asText().contains("admin.serverPort=0"), icfg.toString());
            }

            JsonNode crst = command("connection_stat_reset");
            assertTrue(crst.get("error").isNull());
            JsonNode after = command("connections").get("connections").get(0);
            assertEquals(0, after.get("packets_received").asLong(), after.toString());
            command("crst", "connection_stat_reset");
        } finally {
            zk.close();
        }
    }

    @Test
    void unknownCommandAnswersApacheError() throws Exception {
        HttpResponse<String> resp = get("/commands/nosuch");
        assertEquals(200, resp.statusCode(), "Apache answers an unknown command with 200 and the error in the JSON");
        JsonNode json = JSON.readTree(resp.body());
        assertEquals("nosuch", json.get("command").asText());
        assertEquals("Unknown command: nosuch", json.get("error").asText());
    }

    @Test
    void commandListLinksEveryCommand() throws Exception {
        HttpResponse<String> resp = get("/commands");
        assertEquals(200, resp.statusCode());
        for (String name : List.of("ruok", "server_stats", "stats", "configuration", "connections", "monitor",
                "watch_summary", "watches", "watches_by_path", "dirs", "leader", "voting_view", "zabstate",
                "last_snapshot", "system_properties", "initial_configuration", "connection_stat_reset", "dump",
                "environment", "is_read_only", "snapshot")) {
            assertTrue(resp.body().contains("<a href=\"/commands/" + name + "\">" + name + "</a>"), name);
        }
        assertEquals(200, get("/commands/").statusCode());
    }

    @Test
    void readyAndHealthOnAStandaloneServer() throws Exception {
        HttpResponse<String> ready = get("/ready");
        assertEquals(200, ready.statusCode(), ready.body());
        assertTrue(JSON.readTree(ready.body()).get("ready").asBoolean());
        assertEquals(200, get("/health").statusCode());
        assertEquals(404, get("/elsewhere").statusCode());
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.adminPort() + "/commands/ruok"))
                .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
    }

    @Test
    void closingTheServerReleasesTheAdminPort() throws Exception {
        int port = server.adminPort();
        server.close();
        server = null;
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", port));
        }
    }

    @Test
    void aTakenAdminPortIsAWarningNotAFailure() throws Exception {
        Path other = Files.createTempDirectory("paddock-admin-test");
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            Path cfg = writeConfig(other, Map.of("admin.serverPort", Integer.toString(taken.getLocalPort())));
            try (PaddockServer second = PaddockServer.start(ServerConfig.load(cfg))) {
                assertEquals(-1, second.adminPort());
                ZooKeeper zk = new ZooKeeper("127.0.0.1:" + second.clientPort(), 10_000, e -> { });
                try {
                    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                            .until(() -> zk.getState() == ZooKeeper.States.CONNECTED);
                    assertNotEquals(null, zk.exists("/", false));
                } finally {
                    zk.close();
                }
            }
        } finally {
            deleteTree(other);
        }
    }
}
