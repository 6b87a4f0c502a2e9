package io.paddock.client;

import static io.paddock.protocol.KeeperState.AUTH_FAILED;
import static io.paddock.protocol.KeeperState.SASL_AUTHENTICATED;
import static io.paddock.protocol.KeeperState.SYNC_CONNECTED;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.client.testing.Clients;
import io.paddock.client.testing.StateLog;
import io.paddock.client.testing.TestServer;
import io.paddock.client.testing.TestServers;
import io.paddock.protocol.ACL;
import io.paddock.protocol.ClientInfo;
import io.paddock.protocol.CreateMode;
import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.Id;
import io.paddock.protocol.Perms;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The client's SASL DIGEST-MD5 login, against Paddock and Apache ZooKeeper servers in this JVM.
 * JAAS is global to the JVM: one configuration is installed for the class, with the servers'
 * {@code Server} section (users bob and carol) and a {@code Client} section logging in as carol.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SaslTest {
    private static final String DIGEST_LOGIN_MODULE = "org.apache.zookeeper.server.auth.DigestLoginModule";
    private static Configuration previous;
    private final Clients clients = new Clients();

    @BeforeAll
    static void jaas() {
        previous = Configuration.getConfiguration();
        Configuration.setConfiguration(new Configuration() {
            @Override
            public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
                Map<String, String> options = switch (name) {
                    case "Server" -> Map.of("user_bob", "bob-password", "user_carol", "carol-password");
                    case "Client" -> Map.of("username", "carol", "password", "carol-password");
                    default -> null;
                };
                return options == null ? null : new AppConfigurationEntry[] {new AppConfigurationEntry(
                        DIGEST_LOGIN_MODULE, AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, options)};
            }
        });
    }

    @AfterAll
    static void restore() {
        Configuration.setConfiguration(previous);
    }

    @AfterEach
    void cleanUp() {
        clients.close();
    }

    private static List<ClientInfo> nonIp(PaddockClient c) throws InterruptedException {
        return c.whoAmI().stream().filter(i -> !i.authScheme().equals("ip")).toList();
    }

    /**
     * whoAmI's entry for a sasl user. Apache names the user only when its SASL provider is
     * registered (authProvider.N), which these in-JVM Apache servers do not do; Paddock always does.
     */
    private static ClientInfo saslInfo(String kind, String user) {
        return new ClientInfo("sasl", kind.equals(TestServers.APACHE) ? "" : user);
    }

    @ParameterizedTest
    @ValueSource(strings = {TestServers.PADDOCK, TestServers.APACHE})
    void aSaslLoginGivesTheSaslIdentityBeforeAnyRequest(String kind) throws Exception {
        try (TestServer server = TestServers.start(kind, Map.of())) {
            StateLog states = new StateLog();
            PaddockClient bob = clients.connect(server.connectString(),
                    b -> b.saslDigest("bob", "bob-password").stateListener(states));
            // A request sent at once waits for the login, so it runs as bob.
            assertEquals(List.of(saslInfo(kind, "bob")), nonIp(bob));
            // State changes reach listeners on the event thread, which may lag the reply (as with Apache's client).
            states.awaitCount(SASL_AUTHENTICATED, 1, Duration.ofSeconds(10));
            assertEquals(List.of(SYNC_CONNECTED, SASL_AUTHENTICATED), states.states());

            // Without saslDigest, the JAAS Client section is used, as Apache's client does.
            PaddockClient carol = clients.connect(server.connectString());
            assertEquals(List.of(saslInfo(kind, "carol")), nonIp(carol));
            assertEquals(List.of(), nonIp(clients.connect(server.connectString(), PaddockClient.Builder::noSasl)));
        }
    }

    @Test
    void saslAclsAdmitTheUserAlone() throws Exception {
        try (TestServer server = TestServers.paddock(Map.of())) {
            PaddockClient bob = clients.connect(server.connectString(), b -> b.saslDigest("bob", "bob-password"));
            String path = bob.create("/bob", "mine".getBytes(), List.of(new ACL(Perms.ALL, new Id("sasl", "bob"))),
                    CreateMode.PERSISTENT);
            assertArrayEquals("mine".getBytes(), bob.getData(path).data());
            PaddockClient carol = clients.connect(server.connectString());
            PaddockException denied = assertThrows(PaddockException.class, () -> carol.getData(path));
            assertEquals(ErrorCode.NO_AUTH, denied.code());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {TestServers.PADDOCK, TestServers.APACHE})
    void aWrongPasswordEndsTheClientInAuthFailed(String kind) throws Exception {
        try (TestServer server = TestServers.start(kind, Map.of())) {
            StateLog states = new StateLog();
            PaddockClient wrong = clients.start(server.connectString(),
                    b -> b.saslDigest("bob", "not-bobs-password").stateListener(states));
            states.awaitCount(AUTH_FAILED, 1, Duration.ofSeconds(20));
            assertEquals(ClientState.AUTH_FAILED, wrong.state());
            PaddockException e = assertThrows(PaddockException.class, () -> wrong.exists("/"));
            assertEquals(ErrorCode.AUTH_FAILED, e.code());
            assertTrue(!states.states().contains(SASL_AUTHENTICATED), states.states().toString());
        }
    }

    @Test
    void aServerRequiringSaslServesTheLoggedInClientAndRefusesAnotherOne() throws Exception {
        try (TestServer server = TestServers.paddock(Map.of("sessionRequireClientSASLAuth", "true",
                "authProvider.1", "org.apache.zookeeper.server.auth.SASLAuthenticationProvider"))) {
            PaddockClient bob = clients.connect(server.connectString(), b -> b.saslDigest("bob", "bob-password")
                    .sessionTimeout(Duration.ofSeconds(4)));
            bob.create("/required", new byte[0], CreateMode.PERSISTENT);
            // Past a few ping intervals: pings, too, come only after the login.
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (System.nanoTime() < until) {
                assertTrue(bob.exists("/required") != null);
                Thread.onSpinWait();
            }
            assertEquals(ClientState.CONNECTED, bob.state());

            PaddockClient anonymous = clients.connect(server.connectString(), PaddockClient.Builder::noSasl);
            PaddockException refused = assertThrows(PaddockException.class, () -> anonymous.exists("/"));
            assertEquals(ErrorCode.SESSION_CLOSED_REQUIRE_SASL_AUTH, refused.code());
        }
    }
}
