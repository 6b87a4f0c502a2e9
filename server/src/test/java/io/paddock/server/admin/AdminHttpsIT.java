package io.paddock.server.admin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.server.storage.SnapshotReader;
import io.paddock.server.testing.Clients;
import io.paddock.server.testing.ServerProcess;
import io.paddock.server.testing.TestServers;
import io.paddock.server.testing.TlsCerts;
import java.io.IOException;
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
 * A real server process with {@code admin.forceHttps=true}: the snapshot command over HTTPS still
 * serves the super digest (and refuses others), plain HTTP gets nothing; a key store file that is
 * not there makes the process exit at start-up naming the key and the file.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AdminHttpsIT {
    @Test
    void theSnapshotCommandOverHttpsServesTheSuperDigest() throws Exception {
        Path dir = TestServers.tempDir("paddock-admin-https-it");
        try {
            TlsCerts ca = TlsCerts.authority(dir, "ca");
            TlsCerts.Issued cert = ca.issue("server", "CN=localhost");
            int adminPort = Clients.freePorts(1).get(0);
            String superDigest = DigestAuthenticationProvider.generateDigest("super:pw");
            try (ServerProcess server = ServerProcess.start(Map.of("admin.enableServer", "true",
                    "admin.serverPort", Integer.toString(adminPort), "admin.serverAddress", "127.0.0.1",
                    "admin.forceHttps", "true",
                    "ssl.quorum.keyStore.location", cert.store(TlsCerts.Format.PKCS12).toString(),
                    "ssl.quorum.keyStore.password", TlsCerts.PASSWORD),
                    "-Dzookeeper.DigestAuthenticationProvider.superDigest=" + superDigest);
                 ZooKeeper zk = Clients.connect(server.awaitServing().connectString())) {
                // The admin server binds after the client port; its TLS context takes a moment to build.
                Awaitility.await().atMost(Duration.ofSeconds(30))
                        .until(() -> server.output().contains("admin server listening"));
                assertTrue(server.output().contains("HTTPS only, admin.forceHttps"), server.output());
                HttpClient https = AdminHttpsTest.https(ca, null);
                URI uri = URI.create("https://localhost:" + adminPort + "/commands/snapshot");
                HttpResponse<String> refused = https.send(HttpRequest.newBuilder(uri)
                        .header("Authorization", "digest super:wrong").timeout(Duration.ofSeconds(20)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(403, refused.statusCode(), refused.body());

                HttpResponse<byte[]> served = https.send(HttpRequest.newBuilder(uri)
                        .header("Authorization", "digest super:pw").timeout(Duration.ofSeconds(20)).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(200, served.statusCode());
                Path copy = dir.resolve("snapshot.copy");
                Files.write(copy, served.body());
                SnapshotReader.Content content = SnapshotReader.read(copy);
                assertEquals(zk.getSessionId(), content.sessions().get(0).id());
                assertArrayEquals(new byte[zk.getSessionPasswd().length], content.sessions().get(0).password());

                HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                assertThrows(IOException.class, () -> plain.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + adminPort + "/commands/ruok")).timeout(Duration.ofSeconds(20))
                        .build(), HttpResponse.BodyHandlers.ofString()));
            }
        } finally {
            TestServers.deleteTree(dir);
        }
    }

    @Test
    void aKeyStoreThatIsNotThereStopsStartUp() throws Exception {
        int adminPort = Clients.freePorts(1).get(0);
        try (ServerProcess server = ServerProcess.start(Map.of("admin.enableServer", "true",
                "admin.serverPort", Integer.toString(adminPort), "admin.serverAddress", "127.0.0.1",
                "admin.portUnification", "true", "ssl.quorum.keyStore.location", "/nonexistent/admin.p12"))) {
            assertTrue(server.process().waitFor(60, TimeUnit.SECONDS), "still running:\n" + server.output());
            assertEquals(1, server.process().exitValue(), server.output());
            assertTrue(server.output().contains("Paddock cannot start: cannot load"
                    + " ssl.quorum.keyStore.location=/nonexistent/admin.p12 (PKCS12): no such file"), server.output());
        }
    }
}
