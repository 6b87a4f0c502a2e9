package io.paddock.server.admin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.paddock.server.PaddockServer;
import io.paddock.server.config.ServerConfig;
import io.paddock.server.storage.SnapshotReader;
import io.paddock.server.tree.NodeImage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The {@code snapshot} admin command of a real server, asked over real HTTP. */
@Timeout(60)
class SnapshotCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A digest user the root ACL may name, but not the super user. */
    private static final String ADMIN = "admin:secret";
    /** The super user's credential; its digest is the server's superDigest. */
    private static final String SUPER = "super:s3cret";
    private static final String SUPER_DIGEST_PROPERTY = "zookeeper.DigestAuthenticationProvider.superDigest";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Path dir;
    private PaddockServer server;

    @BeforeEach
    void setSuperDigest() throws Exception {
        System.setProperty(SUPER_DIGEST_PROPERTY, DigestAuthenticationProvider.generateDigest(SUPER));
    }

    @AfterEach
    void stopServer() throws IOException {
        System.clearProperty(SUPER_DIGEST_PROPERTY);
        if (server != null) {
            server.close();
        }
        AdminServerTest.deleteTree(dir);
    }

    private void start(Map<String, String> extra) throws IOException {
        dir = Files.createTempDirectory("paddock-snapshot-command-test");
        Map<String, String> cfg = new java.util.LinkedHashMap<>(Map.of("admin.serverPort", "0"));
        cfg.putAll(extra);
        server = PaddockServer.start(ServerConfig.load(AdminServerTest.writeConfig(dir, cfg)));
    }

    private HttpResponse<byte[]> snapshot(String query, String authorization) throws Exception {
        HttpRequest.Builder req = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.adminPort() + "/commands/snapshot" + query))
                .timeout(Duration.ofSeconds(20)).GET();
        if (authorization != null) {
            req.header("Authorization", authorization);
        }
        return http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Asserts Apache's JSON refusal: the status and {@code {"command": "snapshot", "error": error}}. */
    private static void assertRefused(HttpResponse<byte[]> resp, int status, String error) throws IOException {
        String body = new String(resp.body(), StandardCharsets.UTF_8);
        assertEquals(status, resp.statusCode(), body);
        assertTrue(resp.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), body);
        JsonNode json = JSON.readTree(body);
        assertEquals("snapshot", json.get("command").asText(), body);
        if (error == null) {
            assertTrue(json.get("error").isNull(), body);
        } else {
            assertEquals(error, json.get("error").asText(), body);
        }
    }

    private ZooKeeper connect() throws Exception {
        CountDownLatch up = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper("127.0.0.1:" + server.clientPort(), 10_000, e -> {
            if (e.getState() == org.apache.zookeeper.Watcher.Event.KeeperState.SyncConnected) {
                up.countDown();
            }
        });
        assertTrue(up.await(10, TimeUnit.SECONDS));
        return zk;
    }

    /** Creates {@code /app} and {@code /app/config}, then gives {@code /} to the digest user only. */
    private void lockRootToAdmin(int perms) throws Exception {
        try (ZooKeeper zk = connect()) {
            zk.addAuthInfo("digest", ADMIN.getBytes(StandardCharsets.UTF_8));
            zk.create("/app", "v1".getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE,
                    CreateMode.PERSISTENT);
            zk.create("/app/config", "port=1".getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE,
                    CreateMode.PERSISTENT);
            List<ACL> acl = new ArrayList<>();
            acl.add(new ACL(perms, new Id("digest", DigestAuthenticationProvider.generateDigest(ADMIN))));
            zk.setACL("/", acl, -1);
        }
    }

    @Test
    void refusedWithoutOrWithUnusableAuth() throws Exception {
        start(Map.of());
        assertRefused(snapshot("", null), 401, "Auth info is missing for the command");
        assertRefused(snapshot("", "Basic YWRtaW46c2VjcmV0"), 401, "Not authenticated");
        assertRefused(snapshot("", "digest"), 401, "Not authenticated");
        assertRefused(snapshot("", "digest admin:secret extra"), 401, "Not authenticated");
    }

    @Test
    void wrongAuthIsForbiddenTheSuperDigestGetsASnapshotThatReadsBack() throws Exception {
        start(Map.of());
        lockRootToAdmin(ZooDefs.Perms.ALL);
        assertRefused(snapshot("", "digest admin:wrong"), 403, "Not authorized");
        assertRefused(snapshot("", "digest other:secret"), 403, "Not authorized");
        assertRefused(snapshot("", "ip"), 403, "Not authorized");
        assertRefused(snapshot("", "digest super:wrong"), 403, "Not authorized");
        // Every permission on "/" is not enough: the whole tree takes the super identity.
        assertRefused(snapshot("", "digest " + ADMIN), 403, "Not authorized");

        HttpResponse<byte[]> resp = snapshot("", "digest " + SUPER);
        assertEquals(200, resp.statusCode(), new String(resp.body(), StandardCharsets.UTF_8));
        assertEquals("application/octet-stream", resp.headers().firstValue("Content-Type").orElse(""));
        assertEquals(Long.toString(resp.body().length), resp.headers().firstValue("snapshot_size").orElse(""));
        String lastZxid = resp.headers().firstValue("last_zxid").orElse("");
        assertTrue(lastZxid.startsWith("0x"), lastZxid);
        long zxid = Long.parseUnsignedLong(lastZxid.substring(2), 16);
        assertEquals(5, zxid, "createSession, two creates, setACL, closeSession");

        // The bytes are a snapshot file: what recovery and zkSnapShotToolkit read.
        Path copy = dir.resolve("snapshot." + Long.toHexString(zxid));
        Files.write(copy, resp.body());
        SnapshotReader.Content content = SnapshotReader.read(copy);
        assertEquals(zxid, content.zxid());
        Map<String, NodeImage> nodes = new java.util.HashMap<>();
        for (NodeImage n : content.nodes()) {
            nodes.put(n.path(), n);
        }
        assertArrayEquals("v1".getBytes(StandardCharsets.UTF_8), nodes.get("/app").data());
        assertArrayEquals("port=1".getBytes(StandardCharsets.UTF_8), nodes.get("/app/config").data());
        NodeImage root = nodes.get("/");
        assertNotNull(root);
        assertEquals("digest", root.acl().get(0).id().scheme());
        assertEquals(0, content.sessions().size(), "the session that made the changes was closed");

        // Like Apache, the snapshot is also one of the server's own (in dataDir/version-2).
        assertTrue(Files.exists(dir.resolve("data").resolve("version-2").resolve("snapshot." + Long.toHexString(zxid))));
    }

    @Test
    void theSnapshotIsOneCutOfTheTreeWhileWritesGoOn() throws Exception {
        start(Map.of());
        try (ZooKeeper zk = connect()) {
            int n = 3000;
            byte[] v1 = new byte[512];
            byte[] v2 = "v2".getBytes(StandardCharsets.UTF_8);
            zk.create("/before", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            zk.create("/during", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            CountDownLatch created = new CountDownLatch(n);
            for (int i = 0; i < n; i++) {
                zk.create("/before/" + i, v1, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT,
                        (rc, path, ctx, name) -> created.countDown(), null);
            }
            assertTrue(created.await(30, TimeUnit.SECONDS));

            // Creates and updates race the snapshot; each one's zxid says whether the cut must hold it.
            Map<String, Long> createdAt = new ConcurrentHashMap<>();
            Map<String, Long> updatedAt = new ConcurrentHashMap<>();
            CountDownLatch raced = new CountDownLatch(2 * n);
            for (int i = 0; i < n; i++) {
                zk.create("/during/" + i, v1, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT,
                        (rc, path, ctx, name, stat) -> {
                            createdAt.put(path, stat.getCzxid());
                            raced.countDown();
                        }, null);
                zk.setData("/before/" + i, v2, -1, (rc, path, ctx, stat) -> {
                    updatedAt.put(path, stat.getMzxid());
                    raced.countDown();
                }, null);
            }
            HttpResponse<byte[]> resp = snapshot("", "digest " + SUPER);
            assertTrue(raced.await(30, TimeUnit.SECONDS));
            assertEquals(200, resp.statusCode());

            long zxid = Long.parseUnsignedLong(resp.headers().firstValue("last_zxid").orElseThrow().substring(2), 16);
            Path copy = dir.resolve("copy");
            Files.write(copy, resp.body());
            Map<String, NodeImage> nodes = new java.util.HashMap<>();
            for (NodeImage img : SnapshotReader.read(copy).nodes()) {
                nodes.put(img.path(), img);
            }
            createdAt.forEach((path, czxid) -> assertEquals(czxid <= zxid, nodes.containsKey(path),
                    path + " created at 0x" + Long.toHexString(czxid) + ", cut at 0x" + Long.toHexString(zxid)));
            updatedAt.forEach((path, mzxid) -> assertArrayEquals(mzxid <= zxid ? v2 : v1, nodes.get(path).data(),
                    path + " updated at 0x" + Long.toHexString(mzxid) + ", cut at 0x" + Long.toHexString(zxid)));
        }
    }

    /** The attack: Apache checks only the ACL of "/", world:anyone with every permission by default. */
    @Test
    void theDefaultOpenRootAclOpensNothingToAnAddressOrAnyDigest() throws Exception {
        start(Map.of());
        assertRefused(snapshot("", "ip"), 403, "Not authorized");
        assertRefused(snapshot("", "ip 127.0.0.1"), 403, "Not authorized");
        assertRefused(snapshot("", "digest anyone:atall"), 403, "Not authorized");
        assertEquals(200, snapshot("", "digest " + SUPER).statusCode());
    }

    @Test
    void withoutASuperDigestConfiguredNoOneGetsASnapshot() throws Exception {
        System.clearProperty(SUPER_DIGEST_PROPERTY);
        start(Map.of());
        assertRefused(snapshot("", "digest " + SUPER), 403, "Not authorized");
        assertRefused(snapshot("", "ip"), 403, "Not authorized");
    }

    @Test
    void skipAclOpensNothingEither() throws Exception {
        start(Map.of("skipACL", "yes"));
        assertRefused(snapshot("", "ip"), 403, "Not authorized");
        assertEquals(200, snapshot("", "digest " + SUPER).statusCode());
    }

    /** Live sessions are in the stream, but their passwords are zeros; the server's own file keeps them. */
    @ParameterizedTest
    @ValueSource(strings = {"none", "gz"})
    void theStreamCarriesNoSessionPassword(String compression) throws Exception {
        start(Map.of("snapshot.compression.method", compression));
        try (ZooKeeper zk = connect()) {
            zk.create("/app", "v1".getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE,
                    CreateMode.EPHEMERAL);
            HttpResponse<byte[]> resp = snapshot("", "digest " + SUPER);
            assertEquals(200, resp.statusCode());
            long zxid = Long.parseUnsignedLong(resp.headers().firstValue("last_zxid").orElseThrow().substring(2), 16);
            Path copy = dir.resolve("streamed");
            Files.write(copy, resp.body());
            SnapshotReader.Content streamed = SnapshotReader.read(copy);
            assertEquals(1, streamed.sessions().size());
            assertEquals(zk.getSessionId(), streamed.sessions().get(0).id());
            assertEquals(zk.getSessionPasswd().length, streamed.sessions().get(0).password().length);
            assertArrayEquals(new byte[zk.getSessionPasswd().length], streamed.sessions().get(0).password());
            assertTrue(new String(resp.body(), StandardCharsets.ISO_8859_1)
                    .indexOf(new String(zk.getSessionPasswd(), StandardCharsets.ISO_8859_1)) < 0);

            Path versionDir = dir.resolve("data").resolve("version-2");
            SnapshotReader.Content own = SnapshotReader.read(versionDir.resolve("snapshot." + Long.toHexString(zxid)));
            assertArrayEquals(zk.getSessionPasswd(), own.sessions().get(0).password(),
                    "the server's own snapshot keeps the password it needs after a restart");
            assertEquals(own.nodes().size(), streamed.nodes().size());
            // The copy is deleted when the transfer closes it, just after the last byte left.
            org.awaitility.Awaitility.await("the redacted copy is gone once sent").atMost(Duration.ofSeconds(10))
                    .until(() -> {
                        try (var files = Files.list(versionDir)) {
                            return files.noneMatch(f -> f.getFileName().toString().startsWith("admin-copy-"));
                        }
                    });
        }
    }

    @Test
    void aSecondSnapshotWithinTheIntervalIsRateLimited() throws Exception {
        start(Map.of());
        assertEquals(200, snapshot("", "digest " + SUPER).statusCode());
        assertRefused(snapshot("", "digest " + SUPER), 429, null);
        // Authentication still comes first.
        assertRefused(snapshot("", null), 401, "Auth info is missing for the command");
    }

    @Test
    void withoutStreamingOnlyTheHeadersAndApacheJsonComeBack() throws Exception {
        start(Map.of("admin.rateLimiterIntervalInMS", "0"));
        HttpResponse<byte[]> headersOnly = snapshot("?streaming=false", "digest " + SUPER);
        assertRefused(headersOnly, 200, null);
        assertTrue(headersOnly.headers().firstValue("last_zxid").isPresent());
        assertTrue(Long.parseLong(headersOnly.headers().firstValue("snapshot_size").orElse("0")) > 0);
        // Interval 0: no limit.
        assertEquals(200, snapshot("?streaming=true", "digest " + SUPER).statusCode());
    }

    @Test
    void disabledAnswers503AfterAuthentication() throws Exception {
        start(Map.of("admin.snapshot.enabled", "false"));
        assertRefused(snapshot("", null), 401, "Auth info is missing for the command");
        assertRefused(snapshot("", "digest " + SUPER), 503, null);
    }

    @Test
    void theAliasAndTheListing() throws Exception {
        start(Map.of());
        HttpResponse<byte[]> viaAlias = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.adminPort() + "/commands/snap"))
                .timeout(Duration.ofSeconds(20)).header("Authorization", "digest " + SUPER).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, viaAlias.statusCode());
        String listing = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.adminPort() + "/commands")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(listing.contains("<a href=\"/commands/snapshot\">snapshot</a>"), listing);
    }
}
