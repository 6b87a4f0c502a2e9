package io.paddock.server.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.server.PaddockServer;
import io.paddock.server.config.ConfigException;
import io.paddock.server.config.ServerConfig;
import io.paddock.server.testing.TestServers;
import io.paddock.server.testing.TlsCerts;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The admin server of a real server over HTTPS ({@code admin.forceHttps}, {@code admin.portUnification},
 * {@code admin.needClientAuth}), asked by the JDK's HTTP client trusting a test authority.
 */
@Timeout(60)
class AdminHttpsTest {
    private static Path dir;
    private static TlsCerts ca;
    private static TlsCerts.Issued serverCert;
    private static TlsCerts.Issued clientCert;

    @BeforeAll
    static void makeCertificates() {
        dir = TestServers.tempDir("paddock-admin-https");
        ca = TlsCerts.authority(dir, "ca");
        serverCert = ca.issue("server", "CN=localhost");
        clientCert = ca.issue("operator", "CN=operator");
    }

    @AfterAll
    static void removeCertificates() {
        TestServers.deleteTree(dir);
    }

    @Test
    void forceHttpsServesCommandsOverTlsAndClosesPlainHttp() throws Exception {
        try (PaddockServer server = start("force", Map.of("admin.forceHttps", "true"))) {
            HttpResponse<String> ruok = get(https(null), "https", server.adminPort(), "/commands/ruok");
            assertEquals(200, ruok.statusCode(), ruok.body());
            assertTrue(ruok.body().contains("\"error\" : null"), ruok.body());
            assertEquals("max-age=86400; includeSubDomains",
                    ruok.headers().firstValue("Strict-Transport-Security").orElse(null));
            HttpResponse<String> monitor = get(https(null), "https", server.adminPort(), "/commands/monitor");
            assertEquals(200, monitor.statusCode(), monitor.body());
            assertTrue(monitor.body().contains("\"znode_count\""), monitor.body());

            // As Apache's: a plain request is not answered, the connection is closed.
            assertThrows(IOException.class, () -> get(plain(), "http", server.adminPort(), "/commands/ruok"));
        }
    }

    @Test
    void portUnificationServesHttpsAndPlainHttpOnOnePort() throws Exception {
        try (PaddockServer server = start("unified", Map.of("admin.portUnification", "true"))) {
            HttpResponse<String> secure = get(https(null), "https", server.adminPort(), "/commands/ruok");
            assertEquals(200, secure.statusCode(), secure.body());
            assertTrue(secure.headers().firstValue("Strict-Transport-Security").isPresent());
            HttpResponse<String> open = get(plain(), "http", server.adminPort(), "/commands/ruok");
            assertEquals(200, open.statusCode(), open.body());
            assertFalse(open.headers().firstValue("Strict-Transport-Security").isPresent(), "not served securely");
        }
    }

    @Test
    void forceHttpsWinsOverPortUnification() throws Exception {
        try (PaddockServer server = start("both", Map.of("admin.forceHttps", "true", "admin.portUnification", "true"))) {
            assertEquals(200, get(https(null), "https", server.adminPort(), "/commands/ruok").statusCode());
            assertThrows(IOException.class, () -> get(plain(), "http", server.adminPort(), "/commands/ruok"));
        }
    }

    @Test
    void needClientAuthRefusesAClientWithoutACertificate() throws Exception {
        try (PaddockServer server = start("mutual", Map.of("admin.forceHttps", "true", "admin.needClientAuth", "true"))) {
            assertThrows(IOException.class, () -> get(https(null), "https", server.adminPort(), "/commands/ruok"));
            HttpResponse<String> ruok = get(https(clientCert), "https", server.adminPort(), "/commands/ruok");
            assertEquals(200, ruok.statusCode(), ruok.body());
        }
        // Without needClientAuth no certificate is asked for, whatever ssl.quorum.clientAuth says (as Apache).
        try (PaddockServer server = start("one-way", Map.of("admin.forceHttps", "true",
                "ssl.quorum.clientAuth", "need"))) {
            assertEquals(200, get(https(null), "https", server.adminPort(), "/commands/ruok").statusCode());
        }
    }

    /** A client that connects and never starts its handshake is closed after admin.idleTimeout, as over HTTP. */
    @Test
    void anIdleConnectionIsClosedOverTls() throws Exception {
        try (PaddockServer server = start("idle", Map.of("admin.forceHttps", "true", "admin.idleTimeout", "300"));
             Socket idle = new Socket("127.0.0.1", server.adminPort())) {
            idle.setSoTimeout(10_000);
            long start = System.nanoTime();
            InputStream in = idle.getInputStream();
            assertEquals(-1, in.read(), "closed without a word");
            assertTrue(System.nanoTime() - start < 9_000_000_000L, "closed by the idle timeout, not the read timeout");
            // The server still serves afterwards.
            assertEquals(200, get(https(null), "https", server.adminPort(), "/commands/ruok").statusCode());
        }
    }

    /** The cap of open connections holds over TLS: one beyond it is closed at once, before any handshake. */
    @Test
    void theConnectionCapHoldsOverTls() throws Exception {
        List<Socket> held = new ArrayList<>();
        try (PaddockServer server = start("cap", Map.of("admin.forceHttps", "true"))) {
            try {
                for (int i = 0; i < HttpEndpoint.MAX_CONNECTIONS; i++) {
                    held.add(new Socket("127.0.0.1", server.adminPort()));
                }
                try (Socket extra = new Socket("127.0.0.1", server.adminPort())) {
                    extra.setSoTimeout(10_000);
                    assertEquals(-1, extra.getInputStream().read(), "closed at accept");
                }
            } finally {
                for (Socket s : held) {
                    s.close();
                }
            }
            // Once the held connections are gone, the port serves again.
            Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() ->
                    get(https(null), "https", server.adminPort(), "/commands/ruok").statusCode() == 200);
        }
    }

    @Test
    void httpsWithoutAKeyStoreStopsStartUpNamingTheKeyAndTheFile() throws Exception {
        Path cfg = AdminServerTest.writeConfig(Files.createDirectories(dir.resolve("no-store")),
                Map.of("admin.serverPort", "0", "admin.forceHttps", "true"));
        ConfigException e = assertThrows(ConfigException.class, () -> PaddockServer.start(ServerConfig.load(cfg)));
        assertEquals("ssl.quorum.keyStore.location is not set, but admin.forceHttps=true needs the admin server's key"
                + " and certificate in " + cfg, e.getMessage());

        Path unified = AdminServerTest.writeConfig(Files.createDirectories(dir.resolve("no-trust")),
                Map.of("admin.serverPort", "0", "admin.portUnification", "true", "admin.needClientAuth", "true",
                        "ssl.quorum.keyStore.location", serverCert.store(TlsCerts.Format.PKCS12).toString()));
        e = assertThrows(ConfigException.class, () -> PaddockServer.start(ServerConfig.load(unified)));
        assertTrue(e.getMessage().startsWith("ssl.quorum.trustStore.location is not set, but admin.needClientAuth=true"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith(" in " + unified), e.getMessage());

        Path missing = dir.resolve("missing.p12");
        Path noFile = AdminServerTest.writeConfig(Files.createDirectories(dir.resolve("no-file")),
                Map.of("admin.serverPort", "0", "admin.forceHttps", "true",
                        "ssl.quorum.keyStore.location", missing.toString()));
        e = assertThrows(ConfigException.class, () -> PaddockServer.start(ServerConfig.load(noFile)));
        assertTrue(e.getMessage().startsWith("cannot load ssl.quorum.keyStore.location=" + missing), e.getMessage());
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
        // The server that could not start released its data directory: one with the same one starts.
        try (PaddockServer again = PaddockServer.start(ServerConfig.load(AdminServerTest.writeConfig(
                dir.resolve("no-file"), Map.of("admin.serverPort", "0"))))) {
            assertTrue(again.adminPort() > 0);
        }
    }

    @Test
    void aWrongKeyStorePasswordStopsStartUp() throws Exception {
        Map<String, String> cfg = new HashMap<>(tlsKeys());
        cfg.put("ssl.quorum.keyStore.password", "wrong");
        cfg.put("admin.forceHttps", "true");
        cfg.put("admin.serverPort", "0");
        Path file = AdminServerTest.writeConfig(Files.createDirectories(dir.resolve("wrong-password")), cfg);
        ConfigException e = assertThrows(ConfigException.class, () -> PaddockServer.start(ServerConfig.load(file)));
        assertTrue(e.getMessage().startsWith("cannot load ssl.quorum.keyStore.location="), e.getMessage());
    }

    private static PaddockServer start(String name, Map<String, String> extra) throws IOException {
        Map<String, String> cfg = new HashMap<>(tlsKeys());
        cfg.put("admin.serverPort", "0");
        cfg.putAll(extra);
        Path serverDir = Files.createDirectories(dir.resolve(name));
        return PaddockServer.start(ServerConfig.load(AdminServerTest.writeConfig(serverDir, cfg)));
    }

    private static Map<String, String> tlsKeys() {
        return Map.of("ssl.quorum.keyStore.location", serverCert.store(TlsCerts.Format.PKCS12).toString(),
                "ssl.quorum.keyStore.password", TlsCerts.PASSWORD,
                "ssl.quorum.trustStore.location", ca.trustStore(TlsCerts.Format.PKCS12).toString(),
                "ssl.quorum.trustStore.password", TlsCerts.PASSWORD);
    }

    static HttpResponse<String> get(HttpClient client, String scheme, int port, String path)
            throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(scheme + "://localhost:" + port + path))
                .timeout(Duration.ofSeconds(10)).build();
        return client.send(req, HttpResponse.BodyHandlers.ofString());
    }

    private static HttpClient plain() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** A client trusting the test authority only, presenting {@code own}'s certificate when given. */
    static HttpClient https(TlsCerts.Issued own) throws Exception {
        return https(ca, own);
    }

    static HttpClient https(TlsCerts authority, TlsCerts.Issued own) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(authority.trustStore(TlsCerts.Format.PKCS12))) {
            trust.load(in, TlsCerts.PASSWORD.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (own != null) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(own.store(TlsCerts.Format.PKCS12))) {
                keys.load(in, TlsCerts.PASSWORD.toCharArray());
            }
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, TlsCerts.PASSWORD.toCharArray());
        }
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
    }
}
