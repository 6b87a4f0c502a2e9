package io.paddock.server.admin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.paddock.server.testing.Clients;
import io.paddock.server.testing.ServerProcess;
import io.paddock.server.testing.TestServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The admin {@code restore} command on a real server process: a snapshot taken with the
 * {@code snapshot} command, the data changed, damaged streams refused with nothing changed, an
 * unauthenticated or unauthorized caller refused, then the snapshot restored: the data is back, it
 * is served to new clients, writes go on, and all of it survives a kill -9 and a restart.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RestoreCommandIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aSnapshotIsRestoredDamagedStreamsAndStrangersAreRefused() throws Exception {
        String superDigest = DigestAuthenticationProvider.generateDigest("super:pw");
        Path dir = TestServers.tempDir("paddock-restore");
        String dataDir = dir.resolve("data").toString();
        byte[] snapshot;
        byte[] big;
        byte[] laterEpoch;
        long restoredZxid;
        try (Started s = start(dataDir, superDigest);
             ZooKeeper zk = Clients.connect(s.server().connectString())) {
            zk.create("/app", "v1".getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            for (int i = 0; i < 3; i++) {
                zk.create("/app/c" + i, new byte[] {(byte) i}, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            }
            // Beyond the 64 KiB the admin server aggregates: the stream is stored as it arrives.
            big = new byte[400_000];
            new java.util.Random(7).nextBytes(big);
            zk.create("/app/big", big, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            HttpResponse<byte[]> snap = http.send(HttpRequest.newBuilder(s.uri("snapshot"))
                    .header("Authorization", "digest super:pw").timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, snap.statusCode());
            snapshot = snap.body();

            zk.setData("/app", "v2".getBytes(StandardCharsets.UTF_8), -1);
            zk.delete("/app/c0", -1);
            zk.delete("/app/big", -1);
            zk.create("/later", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);

            // Strangers: no header (401), an identity that is not super (403), a wrong password (403).
            assertEquals(401, post(s, null, snapshot).statusCode());
            assertEquals(403, post(s, "digest anyone:atall", snapshot).statusCode());
            assertEquals(403, post(s, "ip", snapshot).statusCode());
            // Damaged streams: truncated, one byte flipped in the body, empty.
            byte[] flipped = snapshot.clone();
            flipped[flipped.length / 2] ^= 0x5A;
            for (byte[] bad : List.of(Arrays.copyOf(snapshot, snapshot.length / 2), flipped, new byte[0])) {
                HttpResponse<String> refused = post(s, "digest super:pw", bad);
                assertEquals(500, refused.statusCode(), refused.body());
                assertTrue(JSON.readTree(refused.body()).get("error").asText().contains("not valid"), refused.body());
            }
            assertEquals(3, monitor(s).get("restore_error_count").asInt());
            // Nothing changed, and the server still serves the same client.
            assertEquals("v2", new String(zk.getData("/app", false, null), StandardCharsets.UTF_8));
            assertNotNull(zk.exists("/later", false));
            assertNull(zk.exists("/app/c0", false));
            org.apache.zookeeper.data.Stat written = new org.apache.zookeeper.data.Stat();
            zk.create("/still-writable", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, written);
            long lastBefore = written.getCzxid();

            HttpResponse<String> restored = post(s, "digest super:pw", snapshot);
            assertEquals(200, restored.statusCode(), restored.body());
            JsonNode body = JSON.readTree(restored.body());
            assertEquals("restore", body.get("command").asText());
            assertTrue(body.get("error").isNull());
            restoredZxid = body.get("last_zxid").asLong();
            assertEquals(1, monitor(s).get("cnt_restore_time").asInt());
            // The next epoch: past every zxid a client of the old state has seen.
            assertTrue(restoredZxid > lastBefore && (restoredZxid & 0xFFFF_FFFFL) == 0, Long.toHexString(restoredZxid));
        }
        // A new process on the same data directory (the old one was killed): the restore is durable.
        try (Started s = start(dataDir, superDigest);
             ZooKeeper zk = Clients.connect(s.server().connectString())) {
            assertEquals("v1", new String(zk.getData("/app", false, null), StandardCharsets.UTF_8));
            assertEquals(List.of("big", "c0", "c1", "c2"), zk.getChildren("/app", false).stream().sorted().toList());
            assertNull(zk.exists("/later", false));
            assertNull(zk.exists("/still-writable", false));
            zk.create("/after", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            assertTrue(zk.exists("/after", false).getCzxid() > restoredZxid);
            assertArrayEquals(new byte[] {2}, zk.getData("/app/c2", false, null));
            assertArrayEquals(big, zk.getData("/app/big", false, null));
            laterEpoch = http.send(HttpRequest.newBuilder(s.uri("snapshot")).header("Authorization", "digest super:pw")
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofByteArray()).body();
        }
        // A stream from a later epoch than the server's: the restored state starts past the stream's.
        try (Started s = start(dir.resolve("fresh").toString(), superDigest);
             ZooKeeper zk = Clients.connect(s.server().connectString())) {
            HttpResponse<String> restored = post(s, "digest super:pw", laterEpoch);
            assertEquals(200, restored.statusCode(), restored.body());
            long zxid = JSON.readTree(restored.body()).get("last_zxid").asLong();
            assertEquals((restoredZxid >>> 32) + 1, zxid >>> 32, Long.toHexString(zxid));
            try (ZooKeeper again = Clients.connect(s.server().connectString())) {
                assertTrue(again.exists("/after", false).getMzxid() < zxid);
                org.apache.zookeeper.data.Stat created = new org.apache.zookeeper.data.Stat();
                again.create("/newest", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, created);
                assertTrue(created.getCzxid() > zxid);
            }
        } finally {
            TestServers.deleteTree(dir);
        }
    }

    /**
     * Writes keep coming, pipelined, while the stream is restored: the restore waits for the writes
     * already proposed, so the log stays one line of zxids; writes acknowledged after it survive a
     * restart on top of the restored state, and nothing written before it is left.
     */
    @Test
    void aRestoreUnderWriteLoadKeepsTheLogInOrder() throws Exception {
        String superDigest = DigestAuthenticationProvider.generateDigest("super:pw");
        Path dir = TestServers.tempDir("paddock-restore-load");
        String dataDir = dir.resolve("data").toString();
        // Each acknowledged create by its zxid (names repeat: the restore takes /load's counter back).
        Map<Long, String> acknowledged = new java.util.concurrent.ConcurrentHashMap<>();
        long restoredZxid;
        try {
            try (Started s = start(dataDir, superDigest)) {
                byte[] snapshot;
                try (ZooKeeper zk = Clients.connect(s.server().connectString())) {
                    zk.create("/load", "v1".getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE,
                            CreateMode.PERSISTENT);
                    snapshot = http.send(HttpRequest.newBuilder(s.uri("snapshot")).header("Authorization",
                            "digest super:pw").timeout(Duration.ofSeconds(20)).build(),
                            HttpResponse.BodyHandlers.ofByteArray()).body();
                }
                java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
                java.util.concurrent.atomic.AtomicInteger before = new java.util.concurrent.atomic.AtomicInteger();
                Thread writer = new Thread(() -> writeUntil(s.server().connectString(), stop, acknowledged, before));
                writer.start();
                try {
                    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> before.get() >= 500);
                    HttpResponse<String> restored = post(s, "digest super:pw", snapshot);
                    assertEquals(200, restored.statusCode(), restored.body());
                    restoredZxid = JSON.readTree(restored.body()).get("last_zxid").asLong();
                    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.keySet().stream()
                            .filter(z -> z > restoredZxid).count() >= 200);
                } finally {
                    stop.set(true);
                    writer.join(30_000);
                }
            }
            try (Started s = start(dataDir, superDigest);
                 ZooKeeper zk = Clients.connect(s.server().connectString())) {
                assertEquals("v1", new String(zk.getData("/load", false, null), StandardCharsets.UTF_8));
                // Nothing from before the restore is left: every child was created after it.
                for (String name : zk.getChildren("/load", false)) {
                    assertTrue(zk.exists("/load/" + name, false).getCzxid() > restoredZxid, name);
                }
                // Every create acknowledged after the restore survived the kill and the restart.
                int after = 0;
                for (Map.Entry<Long, String> ack : acknowledged.entrySet()) {
                    if (ack.getKey() > restoredZxid) {
                        org.apache.zookeeper.data.Stat st = zk.exists("/load/" + ack.getValue(), false);
                        assertNotNull(st, ack.getValue());
                        assertEquals((long) ack.getKey(), st.getCzxid(), ack.getValue());
                        after++;
                    }
                }
                assertTrue(after >= 200, "acknowledged after the restore: " + after);
            }
        } finally {
            TestServers.deleteTree(dir);
        }
    }

    /**
     * Creates children of {@code /load} asynchronously, 100 in flight per round, until told to stop;
     * a lost connection or session (the restore drops every client) means a new session.
     */
    private static void writeUntil(String connectString, java.util.concurrent.atomic.AtomicBoolean stop,
                                   Map<Long, String> acknowledged, java.util.concurrent.atomic.AtomicInteger count) {
        while (!stop.get()) {
            try (ZooKeeper zk = Clients.connect(connectString)) {
                boolean healthy = true;
                while (healthy && !stop.get()) {
                    java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(100);
                    java.util.concurrent.atomic.AtomicBoolean failed = new java.util.concurrent.atomic.AtomicBoolean();
                    for (int i = 0; i < 100; i++) {
                        zk.create("/load/n-", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL,
                                (rc, path, ctx, name, stat) -> {
                                    if (rc == 0) {
                                        acknowledged.put(stat.getCzxid(), name.substring("/load/".length()));
                                        count.incrementAndGet();
                                    } else {
                                        failed.set(true);
                                    }
                                    done.countDown();
                                }, null);
                    }
                    healthy = done.await(20, TimeUnit.SECONDS) && !failed.get();
                }
            } catch (Exception | AssertionError e) {
                // Refused while the restore runs, or the session is gone: try again.
            }
        }
    }

    private JsonNode monitor(Started s) throws Exception {
        return JSON.readTree(http.send(HttpRequest.newBuilder(s.uri("monitor")).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    private record Started(ServerProcess server, int adminPort) implements AutoCloseable {
        URI uri(String command) {
            return URI.create("http://127.0.0.1:" + adminPort + "/commands/" + command);
        }

        @Override
        public void close() {
            server.close();
        }
    }

    private static Started start(String dataDir, String superDigest) throws Exception {
        int adminPort = Clients.freePorts(1).get(0);
        ServerProcess server = ServerProcess.start(Map.of("dataDir", dataDir, "admin.enableServer", "true",
                "admin.serverPort", Integer.toString(adminPort), "admin.serverAddress", "127.0.0.1",
                "admin.rateLimiterIntervalInMS", "0"),
                "-Dzookeeper.DigestAuthenticationProvider.superDigest=" + superDigest);
        try {
            server.awaitServing();
            // The admin server binds after the client port.
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> server.output().contains("admin server listening"));
            return new Started(server, adminPort);
        } catch (RuntimeException | Error e) {
            server.close();
            throw e;
        }
    }

    private HttpResponse<String> post(Started s, String authorization, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(s.uri("restore")).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
