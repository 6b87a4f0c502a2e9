package io.paddock.server.admin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.paddock.server.storage.SnapshotReader;
import io.paddock.server.testing.Clients;
import io.paddock.server.testing.ServerProcess;
import io.paddock.server.testing.TestServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The attack on a real server process: the root ACL left open (world:anyone:cdrwa, the default),
 * {@code Authorization: ip}, GET /commands/snapshot. Refused; the super digest is served a
 * snapshot without the live session's password.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SnapshotAuthIT {
    @Test
    void anAddressIsRefusedTheSuperDigestGetsAStreamWithoutPasswords() throws Exception {
        int adminPort = Clients.freePorts(1).get(0);
        String superDigest = DigestAuthenticationProvider.generateDigest("super:pw");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        Path dir = TestServers.tempDir("paddock-snapshot-auth");
        try (ServerProcess server = ServerProcess.start(Map.of("admin.enableServer", "true",
                "admin.serverPort", Integer.toString(adminPort), "admin.serverAddress", "127.0.0.1"),
                "-Dzookeeper.DigestAuthenticationProvider.superDigest=" + superDigest);
             ZooKeeper zk = Clients.connect(server.awaitServing().connectString())) {
            // The admin server binds after the client port: a request sent before gets connection refused.
            Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> server.output().contains("admin server listening"));
            URI uri = URI.create("http://127.0.0.1:" + adminPort + "/commands/snapshot");
            for (String auth : new String[] {"ip", "digest anyone:atall", "digest super:wrong"}) {
                HttpResponse<String> refused = http.send(HttpRequest.newBuilder(uri).header("Authorization", auth)
                        .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(403, refused.statusCode(), auth + ": " + refused.body());
            }

            HttpResponse<byte[]> served = http.send(HttpRequest.newBuilder(uri).header("Authorization", "digest super:pw")
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, served.statusCode());
            Path copy = dir.resolve("snapshot.copy");
            Files.write(copy, served.body());
            SnapshotReader.Content content = SnapshotReader.read(copy);
            assertEquals(1, content.sessions().size());
            assertEquals(zk.getSessionId(), content.sessions().get(0).id());
            assertArrayEquals(new byte[zk.getSessionPasswd().length], content.sessions().get(0).password());
        } finally {
            TestServers.deleteTree(dir);
        }
    }
}
