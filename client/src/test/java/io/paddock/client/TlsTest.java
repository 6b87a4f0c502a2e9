package io.paddock.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.client.testing.Clients;
import io.paddock.protocol.CreateMode;
import io.paddock.server.testing.TlsCerts;
import io.paddock.server.testing.TlsCerts.Format;
import io.paddock.server.testing.TlsServer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Paddock's client over TLS to a server's secureClientPort, configured as Apache's client is. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsTest {
    @TempDir
    static Path certs;
    static TlsCerts ca;
    static TlsCerts.Issued alice;
    static TlsServer server;
    private final Clients clients = new Clients();

    @BeforeAll
    static void start() {
        ca = TlsCerts.authority(certs, "ca");
        alice = ca.issue("alice", "CN=alice,O=Paddock Test");
        server = TlsServer.start(ca, ca.issue("server", "CN=localhost,O=Paddock Test"), Format.PKCS12,
                Map.of("secureClientPort", "0", "secureClientPortAddress", "127.0.0.1"));
    }

    @AfterEach
    void closeClients() {
        clients.close();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Map<String, String> properties(Format format) {
        Map<String, String> m = new HashMap<>();
        m.put("zookeeper.client.secure", "true");
        m.put("zookeeper.ssl.keyStore.location", alice.store(format).toString());
        m.put("zookeeper.ssl.keyStore.password", TlsCerts.PASSWORD);
        m.put("zookeeper.ssl.trustStore.location", ca.trustStore(format).toString());
        m.put("zookeeper.ssl.trustStore.password", TlsCerts.PASSWORD);
        return m;
    }

    @Test
    void theClientConnectsOverTlsAndIsKnownByItsCertificate() throws Exception {
        for (Format f : new Format[] {Format.JKS, Format.PKCS12}) {
            ClientTls tls = ClientTls.from(properties(f)::get);
            for (String host : new String[] {"127.0.0.1", "localhost"}) {
                PaddockClient c = clients.connect(host + ":" + server.securePort(), b -> b.tls(tls));
                String path = c.create("/tls-" + f + "-" + host, new byte[] {1}, CreateMode.PERSISTENT);
                assertEquals(1, c.getData(path).data()[0]);
                assertTrue(c.whoAmI().stream().anyMatch(i -> i.authScheme().equals("x509")
                        && i.user().equals(alice.subject())), c.whoAmI().toString());
            }
        }
    }

    @Test
    void withoutTheSecureSettingThereIsNoTlsAndABadStoreNamesTheProperty() {
        Map<String, String> m = properties(Format.JKS);
        m.remove("zookeeper.client.secure");
        assertNull(ClientTls.from(m::get));
        Map<String, String> bad = properties(Format.JKS);
        bad.put("zookeeper.ssl.keyStore.password", "wrong");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClientTls.from(bad::get));
        assertTrue(e.getMessage().contains("zookeeper.ssl.keyStore.location=" + alice.store(Format.JKS)), e.getMessage());
    }
}
