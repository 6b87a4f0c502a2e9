package io.paddock.server.sasl;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.paddock.server.testing.ServerProcess;
import io.paddock.server.testing.TestServers;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.security.auth.login.Configuration;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.ClientInfo;
import org.apache.zookeeper.data.Id;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Client SASL (DIGEST-MD5) against real server processes, each with its own JAAS file, and
 * Apache ZooKeeper 3.9 clients logging in with JAAS {@code Client} sections: the proven user
 * gets {@code sasl:<user>} (so sasl ACLs match it), a {@code superUser} gets super, a wrong
 * password is AuthFailed and closed while others are served, and with enforced authentication
 * an unauthenticated client is refused.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClientSaslIT {
    private static final String SASL_PROVIDER = "org.apache.zookeeper.server.auth.SASLAuthenticationProvider";
    private static final byte[] SECRET = "s3cret".getBytes(StandardCharsets.UTF_8);

    private static Path dir;
    private static Path jaasFile;
    private static Configuration previous;

    @BeforeAll
    static void jaas() throws Exception {
        dir = TestServers.tempDir("paddock-sasl");
        jaasFile = dir.resolve("jaas.conf");
        Files.writeString(jaasFile, """
                Server {
                    org.apache.zookeeper.server.auth.DigestLoginModule required
                    user_bob="bob-password"
                    user_carol="carol-password"
                    user_admin="admin-password";
                };
                """);
        previous = Configuration.getConfiguration();
        Configuration.setConfiguration(SaslClients.jaas(Map.of("bob", "bob-password", "carol", "carol-password",
                "admin", "admin-password", "bob#wrong", "not-bobs-password", "mallory", "any")));
    }

    @AfterAll
    static void restore() {
        Configuration.setConfiguration(previous);
        TestServers.deleteTree(dir);
    }

    private static ServerProcess start(Map<String, String> cfg) {
        return ServerProcess.start(cfg, "-Djava.security.auth.login.config=" + jaasFile,
                "-Dzookeeper.superUser=admin").awaitServing();
    }

    private static ZooKeeper connected(ServerProcess server, String section, SaslClients.States states,
                                       KeeperState awaited) throws Exception {
        ZooKeeper zk = SaslClients.connect(server.connectString(), section, states);
        await().atMost(Duration.ofSeconds(30)).until(() -> states.seen.contains(awaited));
        return zk;
    }

    @Test
    void aSaslUserReadsItsNodeAnAnonymousOrOtherUserCannotAndSuperUserCan() throws Exception {
        try (ServerProcess server = start(Map.of("authProvider.1", SASL_PROVIDER))) {
            SaslClients.States bobStates = new SaslClients.States();
            try (ZooKeeper bob = connected(server, "bob", bobStates, KeeperState.SaslAuthenticated)) {
                assertEquals(List.of(new ClientInfo("sasl", "bob")),
                        bob.whoAmI().stream().filter(i -> !i.getAuthScheme().equals("ip")).toList());
                // Apache's client asks the list whether it holds null, which List.of cannot answer.
                bob.create("/bob", SECRET, Arrays.asList(new ACL(ZooDefs.Perms.ALL, new Id("sasl", "bob"))),
                        CreateMode.PERSISTENT);
                // An "auth" entry expands to the creator's sasl identity.
                bob.create("/bob-auth", SECRET, ZooDefs.Ids.CREATOR_ALL_ACL, CreateMode.PERSISTENT);
                assertEquals(List.of(new ACL(ZooDefs.Perms.ALL, new Id("sasl", "bob"))), bob.getACL("/bob-auth", null));
                assertArrayEquals(SECRET, bob.getData("/bob", false, null));

                try (ZooKeeper anonymous = connected(server, null, new SaslClients.States(), KeeperState.SyncConnected);
                     ZooKeeper carol = connected(server, "carol", new SaslClients.States(), KeeperState.SaslAuthenticated)) {
                    assertThrows(KeeperException.NoAuthException.class, () -> anonymous.getData("/bob", false, null));
                    assertThrows(KeeperException.NoAuthException.class, () -> carol.getData("/bob-auth", false, null));
                }
                try (ZooKeeper admin = connected(server, "admin", new SaslClients.States(), KeeperState.SaslAuthenticated)) {
                    assertArrayEquals(SECRET, admin.getData("/bob", false, null));
                    assertTrue(admin.whoAmI().contains(new ClientInfo("super", "")), admin.whoAmI().toString());
                }
            }
        }
    }

    @Test
    void aWrongPasswordOrUnknownUserFailsAndTheServerServesOthers() throws Exception {
        try (ServerProcess server = start(Map.of("authProvider.1", SASL_PROVIDER))) {
            try (ZooKeeper bystander = connected(server, null, new SaslClients.States(), KeeperState.SyncConnected)) {
                for (String section : List.of("bob#wrong", "mallory")) {
                    SaslClients.States states = new SaslClients.States();
                    try (ZooKeeper failed = SaslClients.connect(server.connectString(), section, states)) {
                        await().atMost(Duration.ofSeconds(30)).until(() -> states.seen.contains(KeeperState.AuthFailed));
                        assertEquals(ZooKeeper.States.AUTH_FAILED, failed.getState());
                        assertTrue(!states.seen.contains(KeeperState.SaslAuthenticated), states.seen.toString());
                    }
                    bystander.create("/after-" + section.replace('#', '-'), new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE,
                            CreateMode.PERSISTENT);
                }
                try (ZooKeeper bob = connected(server, "bob", new SaslClients.States(), KeeperState.SaslAuthenticated)) {
                    assertEquals(2, bob.getChildren("/", false).stream().filter(c -> c.startsWith("after-")).count());
                }
            }
            assertTrue(server.output().contains("SASL authentication failed"), server.output());
        }
    }

    @Test
    void enforcedAuthenticationRefusesAnUnauthenticatedClientAndServesAuthenticatedOnes() throws Exception {
        try (ServerProcess server = start(Map.of("authProvider.1", SASL_PROVIDER,
                "enforce.auth.enabled", "true", "enforce.auth.schemes", "sasl,digest"))) {
            try (ZooKeeper anonymous = SaslClients.connect(server.connectString(), null, new SaslClients.States())) {
                assertThrows(KeeperException.SessionClosedRequireAuthException.class, () -> anonymous.exists("/", false));
            }
            try (ZooKeeper bob = connected(server, "bob", new SaslClients.States(), KeeperState.SaslAuthenticated)) {
                bob.create("/by-bob", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            }
            try (ZooKeeper digest = SaslClients.connect(server.connectString(), null, new SaslClients.States())) {
                digest.addAuthInfo("digest", "dora:pw".getBytes(StandardCharsets.UTF_8));
                assertTrue(digest.exists("/by-bob", false) != null);
            }
            assertTrue(server.output().contains("has not authenticated with any of"), server.output());
        }
    }

    @Test
    void whenSaslIsRequiredAFailedExchangeIsRefusedAndClosed() throws Exception {
        try (ServerProcess server = start(Map.of("authProvider.1", SASL_PROVIDER,
                "sessionRequireClientSASLAuth", "true"))) {
            SaslClients.States states = new SaslClients.States();
            try (ZooKeeper failed = SaslClients.connect(server.connectString(), "bob#wrong", states)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> states.seen.contains(KeeperState.AuthFailed));
            }
            try (ZooKeeper bob = connected(server, "bob", new SaslClients.States(), KeeperState.SaslAuthenticated)) {
                assertTrue(bob.exists("/", false) != null);
            }
            // On the wire: SessionClosedRequireAuth with zxid 0 and a null token (Apache's client reads
            // one while it authenticates), then the connection is closed.
            assertBadDigestResponseRefused(server, -124);
        }
    }

    @Test
    void onTheWireAFailedExchangeIsAuthFailedWithANullTokenAndARefusedRequestIsHeaderOnly() throws Exception {
        try (ServerProcess server = start(Map.of("authProvider.1", SASL_PROVIDER,
                "enforce.auth.enabled", "true", "enforce.auth.schemes", "digest"))) {
            assertBadDigestResponseRefused(server, -115);
            try (RawSession raw = new RawSession(server.port())) {
                // A DIGEST-MD5 exchange starts with an empty token and a challenge naming Apache's realm.
                RawSession.Reply challenge = raw.call(1, ZooDefs.OpCode.sasl, new byte[0]);
                assertEquals(List.of(1, 0L, 0), List.of(challenge.xid(), challenge.zxid(), challenge.err()));
                assertTrue(new String(challenge.body(), StandardCharsets.UTF_8).contains("realm=\"zk-sasl-md5\""),
                        new String(challenge.body(), StandardCharsets.UTF_8));
                RawSession.Reply refused = raw.call(2, ZooDefs.OpCode.exists, "/".getBytes(StandardCharsets.UTF_8));
                assertEquals(List.of(2, 0L, -124), List.of(refused.xid(), refused.zxid(), refused.err()));
                assertEquals(0, refused.body().length);
                assertTrue(raw.closedByServer());
            }
        }
    }

    /** kazoo with pure-sasl (Debian python3-kazoo, python3-pure-sasl; .ci/run installs them). */
    @Test
    void kazooLogsInBySasl() throws Exception {
        Path python = Path.of("/usr/bin/python3");
        assumeTrue(Files.isExecutable(python) && new ProcessBuilder(python.toString(), "-c", "import kazoo, puresasl")
                .start().waitFor() == 0, "kazoo or pure-sasl is not installed");
        Path script = dir.resolve("kazoo_sasl.py");
        try (InputStream in = ClientSaslIT.class.getResourceAsStream("/interop/kazoo_sasl.py")) {
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        try (ServerProcess server = start(Map.of("authProvider.1", SASL_PROVIDER))) {
            Process p = new ProcessBuilder(python.toString(), script.toString(), server.connectString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(90, TimeUnit.SECONDS), out);
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.contains("KAZOO SASL OK"), out);
        }
    }

    /** A DIGEST-MD5 exchange whose response is garbage: answered {@code err}, zxid 0, a null token, then closed. */
    private static void assertBadDigestResponseRefused(ServerProcess server, int err) throws Exception {
        try (RawSession raw = new RawSession(server.port())) {
            assertEquals(0, raw.call(6, ZooDefs.OpCode.sasl, new byte[0]).err());
            RawSession.Reply reply = raw.call(7, ZooDefs.OpCode.sasl, "not a digest response".getBytes(StandardCharsets.UTF_8));
            assertEquals(List.of(7, 0L, err), List.of(reply.xid(), reply.zxid(), reply.err()));
            assertArrayEquals(new byte[] {-1, -1, -1, -1}, reply.body());
            assertTrue(raw.closedByServer());
        }
    }
}
