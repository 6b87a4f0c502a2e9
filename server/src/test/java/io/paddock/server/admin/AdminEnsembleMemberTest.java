package io.paddock.server.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.paddock.server.PaddockServer;
import io.paddock.server.commands.Commands;
import io.paddock.server.config.ServerConfig;
import io.paddock.server.testing.TestServers;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One member of a three-server ensemble whose peers never start: it stays looking, so it is alive
 * but not ready, and the commands that need a serving server answer Apache's error.
 */
@Timeout(60)
class AdminEnsembleMemberTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aLookingMemberIsAliveButNotReady() throws Exception {
        Path dir = Files.createTempDirectory("paddock-admin-ensemble");
        try {
            ServerConfig config = TestServers.lookingMember(dir, Map.of());
            try (PaddockServer server = PaddockServer.start(config, new AdminConfig(true, "127.0.0.1", 0, "/commands"))) {
                int port = server.adminPort();
                assertTrue(port > 0);
                assertEquals(200, get(port, "/health").statusCode());
                HttpResponse<String> ready = get(port, "/ready");
                assertEquals(503, ready.statusCode(), ready.body());

                HttpResponse<String> srvr = get(port, "/commands/srvr");
                assertEquals(200, srvr.statusCode(), "Apache's status; the JSON's error says why: " + srvr.body());
                JsonNode json = JSON.readTree(srvr.body());
                assertEquals("srvr", json.get("command").asText());
                assertEquals(Commands.NOT_SERVING, json.get("error").asText());

                // Apache's monitor and zabstate answer without a serving server.
                JsonNode mntr = JSON.readTree(get(port, "/commands/monitor").body());
                assertEquals("looking", mntr.get("server_state").asText(), mntr.toString());
                JsonNode zab = JSON.readTree(get(port, "/commands/zabstate").body());
                // Apache has no quorum server to ask while electing, and answers as a standalone one.
                assertFalse(zab.get("voting").asBoolean(), zab.toString());
                assertEquals("", zab.get("zabstate").asText(), zab.toString());
            }
        } finally {
            AdminServerTest.deleteTree(dir);
        }
    }

    /** Restore is for a standalone server: an ensemble member refuses it, whoever asks. */
    @Test
    void anEnsembleMemberRefusesRestore() throws Exception {
        Path dir = Files.createTempDirectory("paddock-admin-ensemble");
        String key = "zookeeper.DigestAuthenticationProvider.superDigest";
        try {
            ServerConfig config;
            // Read when the configuration is parsed, and only then.
            System.setProperty(key, org.apache.zookeeper.server.auth.DigestAuthenticationProvider.generateDigest("super:pw"));
            try {
                config = TestServers.lookingMember(dir, Map.of());
            } finally {
                System.clearProperty(key);
            }
            try (PaddockServer server = PaddockServer.start(config, new AdminConfig(true, "127.0.0.1", 0, "/commands"))) {
                URI uri = URI.create("http://127.0.0.1:" + server.adminPort() + "/commands/restore");
                HttpResponse<String> refused = http.send(HttpRequest.newBuilder(uri)
                        .header("Authorization", "digest super:pw").timeout(Duration.ofSeconds(10))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[100])).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(501, refused.statusCode(), refused.body());
                assertTrue(JSON.readTree(refused.body()).get("error").asText().contains("standalone"), refused.body());
                assertEquals(405, get(server.adminPort(), "/commands/restore").statusCode());
            }
        } finally {
            AdminServerTest.deleteTree(dir);
        }
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
