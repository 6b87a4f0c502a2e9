package io.paddock.server.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.paddock.server.PaddockServer;
import io.paddock.server.config.ConfigException;
import io.paddock.server.testing.Clients;
import io.paddock.server.testing.ServerProcess;
import io.paddock.server.testing.TlsCerts;
import io.paddock.server.testing.TlsCerts.Format;
import io.paddock.server.testing.TlsClients;
import io.paddock.server.testing.TlsServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS for clients, end to end: a real Paddock server's secure port and unified port, Apache's
 * 3.9 Java client over Netty TLS with certificates made by keytool, the x509 identity and ACLs.
 */
class ClientTlsIT {
    @TempDir
    static Path certs;
    static TlsCerts ca;
    static TlsCerts otherCa;
    static TlsCerts.Issued server;
    static TlsCerts.Issued alice;
    static TlsCerts.Issued bob;
    static TlsCerts.Issued admin;
    static TlsCerts.Issued stranger;

    private TlsServer tls;
    private PaddockServer paddock;

    @BeforeAll
    static void certificates() {
        ca = TlsCerts.authority(certs, "ca");
        otherCa = TlsCerts.authority(certs, "other-ca");
        server = ca.issue("server", "CN=localhost,OU=Servers,O=Paddock Test");
        alice = ca.issue("alice", "CN=alice,OU=Clients,O=Paddock Test");
        bob = ca.issue("bob", "CN=bob,OU=Clients,O=Paddock Test");
        admin = ca.issue("admin", "CN=admin,OU=Operators,O=Paddock Test");
        stranger = otherCa.issue("stranger", "CN=stranger,O=Elsewhere");
    }

    @AfterEach
    void stop() {
        if (tls != null) {
            tls.close();
        }
    }

    private PaddockServer start(Map<String, String> extra) {
        tls = TlsServer.start(ca, server, Format.PKCS12, extra);
        paddock = tls.server();
        return paddock;
    }

    private static Map<String, String> securePort() {
        return Map.of("secureClientPort", "0", "secureClientPortAddress", "127.0.0.1");
    }

    @Test
    void theSecurePortServesTlsClientsOfEveryStoreFormatBesideThePlainPort() throws Exception {
        start(securePort());
        int secure = paddock.secureClientPort();
        assertTrue(secure > 0 && paddock.clientPort() > 0);
        for (Format f : Format.values()) {
            try (ZooKeeper zk = TlsClients.connect(secure, TlsClients.config(alice, ca, f))) {
                String path = "/tls-" + f;
                zk.create(path, f.name().getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE,
                        CreateMode.PERSISTENT);
                assertArrayEquals(f.name().getBytes(StandardCharsets.UTF_8), zk.getData(path, false, null));
            }
        }
        try (ZooKeeper plain = Clients.connect(paddock.clientPort())) {
            assertEquals(3, plain.getChildren("/", false).stream().filter(c -> c.startsWith("tls-")).count());
        }
    }

    @Test
    void aClientWithAnUntrustedCertificateIsRefusedWhileOthersAreServed() throws Exception {
        start(securePort());
        int secure = paddock.secureClientPort();
        try (ZooKeeper good = TlsClients.connect(secure, TlsClients.config(alice, ca, Format.JKS))) {
            good.create("/served", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            // The stranger trusts our authority, but its own certificate is signed by another.
            assertFalse(TlsClients.connects(secure, TlsClients.config(stranger, ca, Format.JKS), 3000));
            // Without a certificate at all (clientAuth defaults to need).
            assertFalse(TlsClients.connects(secure, TlsClients.config(null, ca, Format.JKS), 3000));
            good.setData("/served", new byte[] {1}, -1);
            assertArrayEquals(new byte[] {1}, good.getData("/served", false, null));
        }
    }

    @Test
    void thePlainTextProtocolOnTheSecurePortIsClosedAndASilentTlsPeerIsCutOff() throws Exception {
        start(Map.of("secureClientPort", "0", "secureClientPortAddress", "127.0.0.1",
                "nio.sessionlessCnxnTimeout", "1000"));
        int secure = paddock.secureClientPort();
        try (Socket s = new Socket("127.0.0.1", secure)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("ruok".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().write(new byte[60]);
            assertEquals(-1, drain(s.getInputStream()), "plaintext on the TLS port is closed, never answered");
        }
        long started = System.nanoTime();
        try (Socket s = new Socket("127.0.0.1", secure)) {
            s.setSoTimeout(10_000);
            assertEquals(-1, drain(s.getInputStream()), "a peer that never starts its handshake is closed");
        }
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        assertTrue(tookMs >= 900 && tookMs < 8000, "closed after about nio.sessionlessCnxnTimeout: " + tookMs + " ms");
    }

    /** Reads until the end of the stream (returns -1) or fails on the socket's timeout. */
    private static int drain(InputStream in) throws Exception {
        byte[] buf = new byte[4096];
        try {
            while (in.read(buf) >= 0) {
                // discard whatever (an alert) comes first
            }
            return -1;
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server kept the connection open", e);
        } catch (java.net.SocketException e) {
            return -1; // reset: closed as well
        }
    }

    @Test
    void theCertificateSubjectIsTheX509IdentityAndX509AclsMatchIt() throws Exception {
        start(Map.of("secureClientPort", "0", "secureClientPortAddress", "127.0.0.1",
                "X509AuthenticationProvider.superUser", admin.subject()));
        int secure = paddock.secureClientPort();
        assertEquals("CN=alice,OU=Clients,O=Paddock Test", alice.subject());
        try (ZooKeeper a = TlsClients.connect(secure, TlsClients.config(alice, ca, Format.PEM));
             ZooKeeper b = TlsClients.connect(secure, TlsClients.config(bob, ca, Format.PEM));
             ZooKeeper root = TlsClients.connect(secure, TlsClients.config(admin, ca, Format.PEM));
             ZooKeeper plain = Clients.connect(paddock.clientPort())) {
            List<ACL> aliceOnly = x509Acl(alice.subject());
            a.create("/alice", "a".getBytes(StandardCharsets.UTF_8), aliceOnly, CreateMode.PERSISTENT);
            assertArrayEquals("a".getBytes(StandardCharsets.UTF_8), a.getData("/alice", false, null));
            assertThrows(KeeperException.NoAuthException.class, () -> b.getData("/alice", false, null));
            assertThrows(KeeperException.NoAuthException.class, () -> plain.getData("/alice", false, null));
            assertArrayEquals("a".getBytes(StandardCharsets.UTF_8), root.getData("/alice", false, null),
                    "the configured super user reads everything");
            root.setData("/alice", "r".getBytes(StandardCharsets.UTF_8), -1);

            // "auth" entries expand to the creator's x509 identity.
            b.create("/bob", new byte[0], ZooDefs.Ids.CREATOR_ALL_ACL, CreateMode.PERSISTENT);
            Stat stat = new Stat();
            assertEquals(List.of(new ACL(ZooDefs.Perms.ALL, new Id("x509", bob.subject()))), b.getACL("/bob", stat));
            assertThrows(KeeperException.NoAuthException.class, () -> a.setData("/bob", new byte[1], -1));

            assertThrows(KeeperException.InvalidACLException.class, () -> a.create("/bad", new byte[0],
                    x509Acl("not a name"), CreateMode.PERSISTENT));
        }
    }

    /** All permissions for one x509 identity (a mutable list: Apache's client asks it whether it holds null). */
    private static List<ACL> x509Acl(String subject) {
        return new ArrayList<>(List.of(new ACL(ZooDefs.Perms.ALL, new Id("x509", subject))));
    }

    @Test
    void portUnificationServesPlainAndTlsClientsAndFourLetterWordsOnOnePort() throws Exception {
        start(Map.of("client.portUnification", "true"));
        int port = paddock.clientPort();
        assertEquals(-1, paddock.secureClientPort());
        try (ZooKeeper tls = TlsClients.connect(port, TlsClients.config(alice, ca, Format.JKS));
             ZooKeeper plain = Clients.connect(port)) {
            tls.create("/both", "t".getBytes(StandardCharsets.UTF_8), x509Acl(alice.subject()), CreateMode.PERSISTENT);
            assertArrayEquals("t".getBytes(StandardCharsets.UTF_8), tls.getData("/both", false, null));
            assertThrows(KeeperException.NoAuthException.class, () -> plain.getData("/both", false, null),
                    "the plaintext client has no certificate, so no x509 identity");
            plain.create("/plain", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            assertTrue(tls.exists("/plain", false) != null);
        }
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write("ruok".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertEquals("imok", new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void withOnlyASecurePortThereIsNoPlaintextPort() throws Exception {
        Map<String, String> cfg = new LinkedHashMap<>(securePort());
        cfg.put("clientPort", null);
        cfg.put("clientPortAddress", null);
        start(cfg);
        assertEquals(-1, paddock.clientPort());
        try (ZooKeeper zk = TlsClients.connect(paddock.secureClientPort(), TlsClients.config(alice, ca, Format.PKCS12))) {
            assertTrue(zk.exists("/", false) != null);
        }
    }

    @Test
    void withCertReloadANewKeyStoreIsServedToNewConnections() throws Exception {
        Path live = certs.resolve("live-server.p12");
        Files.copy(server.store(Format.PKCS12), live, StandardCopyOption.REPLACE_EXISTING);
        start(Map.of("secureClientPort", "0", "secureClientPortAddress", "127.0.0.1", "client.certReload", "true",
                "ssl.keyStore.location", live.toString(), "ssl.clientAuth", "want"));
        int secure = paddock.secureClientPort();
        try (ZooKeeper before = TlsClients.connect(secure, TlsClients.config(alice, ca, Format.PKCS12))) {
            before.create("/reload", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            // The server's certificate is replaced by one of another authority.
            Files.copy(stranger.store(Format.PKCS12), live, StandardCopyOption.REPLACE_EXISTING);
            Files.setLastModifiedTime(live, FileTime.fromMillis(System.currentTimeMillis() + 10_000));
            assertFalse(TlsClients.connects(secure, TlsClients.config(alice, ca, Format.PKCS12), 3000),
                    "a client trusting only the old authority no longer accepts the server");
            try (ZooKeeper after = TlsClients.connect(secure, TlsClients.config(null, otherCa, Format.PKCS12))) {
                assertTrue(after.exists("/reload", false) != null);
            }
            assertTrue(before.exists("/reload", false) != null, "an open connection keeps its session");
        }
    }

    private static Map<String, String> processTls(int securePort, String keyStorePassword) {
        return Map.of("secureClientPort", String.valueOf(securePort), "secureClientPortAddress", "127.0.0.1",
                "ssl.keyStore.location", server.store(Format.JKS).toString(), "ssl.keyStore.password", keyStorePassword,
                "ssl.trustStore.location", ca.trustStore(Format.JKS).toString(),
                "ssl.trustStore.password", TlsCerts.PASSWORD);
    }

    @Test
    void aServerProcessServesTlsWithTheSuperUserGivenAsASystemProperty() throws Exception {
        int securePort = Clients.freePorts(1).get(0);
        try (ServerProcess p = ServerProcess.start(processTls(securePort, TlsCerts.PASSWORD),
                "-Dzookeeper.X509AuthenticationProvider.superUser=" + admin.subject()).awaitServing()) {
            try (ZooKeeper a = TlsClients.connect(securePort, TlsClients.config(alice, ca, Format.JKS));
                 ZooKeeper root = TlsClients.connect(securePort, TlsClients.config(admin, ca, Format.JKS))) {
                a.create("/mine", new byte[] {7}, x509Acl(alice.subject()), CreateMode.PERSISTENT);
                assertArrayEquals(new byte[] {7}, root.getData("/mine", false, null));
            }
            assertFalse(TlsClients.connects(securePort, TlsClients.config(stranger, ca, Format.JKS), 3000));
            assertTrue(p.ruok(), "the plaintext port serves beside it");
        }
    }

    @Test
    void aServerProcessWithAWrongKeyStorePasswordExitsNamingTheKeyAndTheFile() throws Exception {
        try (ServerProcess p = ServerProcess.start(processTls(Clients.freePorts(1).get(0), "wrong"))) {
            assertTrue(p.process().waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "the process did not exit");
            assertEquals(1, p.process().exitValue(), p.output());
            assertTrue(p.output().contains("Paddock cannot start: cannot load ssl.keyStore.location="
                    + server.store(Format.JKS)), p.output());
        }
    }

    @Test
    void kazooCreatesAndReadsOverTls() throws Exception {
        Path python = Path.of("/usr/bin/python3");
        assumeTrue(Files.isExecutable(python) && new ProcessBuilder(python.toString(), "-c", "import kazoo").start()
                .waitFor() == 0, "kazoo is not installed (Debian package python3-kazoo)");
        start(securePort());
        // kazoo takes PEM: the fixture's PEM key store holds the key and the chain in one file.
        String script = String.join("\n",
                "import sys",
                "from kazoo.client import KazooClient",
                "zk = KazooClient(hosts=sys.argv[1], use_ssl=True, ca=sys.argv[2], certfile=sys.argv[3],",
                "                 keyfile=sys.argv[3], timeout=10)",
                "zk.start(timeout=20)",
                "zk.create('/kazoo-tls', b'py')",
                "data, stat = zk.get('/kazoo-tls')",
                "assert data == b'py', data",
                "print('KAZOO TLS OK', zk.client_id is not None)",
                "zk.stop()", "");
        Path file = certs.resolve("kazoo_tls.py");
        Files.writeString(file, script);
        Process p = new ProcessBuilder(python.toString(), file.toString(), "127.0.0.1:" + paddock.secureClientPort(),
                ca.trustStore(Format.PEM).toString(), alice.store(Format.PEM).toString()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "kazoo did not finish");
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("KAZOO TLS OK"), out);
        try (ZooKeeper zk = TlsClients.connect(paddock.secureClientPort(), TlsClients.config(bob, ca, Format.JKS))) {
            assertArrayEquals("py".getBytes(StandardCharsets.UTF_8), zk.getData("/kazoo-tls", false, null));
        }
    }

    @Test
    void aKeyStoreThatCannotBeLoadedStopsStartUpNamingTheKeyAndTheFile() {
        ConfigException e = assertThrows(ConfigException.class, () -> start(Map.of("secureClientPort", "0",
                "ssl.keyStore.password", "wrong")));
        assertTrue(e.getMessage().contains("ssl.keyStore.location=" + server.store(Format.PKCS12)), e.getMessage());
    }
}
