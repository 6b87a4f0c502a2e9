package io.paddock.client;

import static io.paddock.protocol.KeeperState.AUTH_FAILED;
import static io.paddock.protocol.KeeperState.DISCONNECTED;
import static io.paddock.protocol.KeeperState.SYNC_CONNECTED;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.client.testing.Clients;
import io.paddock.client.testing.ServerPool;
import io.paddock.client.testing.StateLog;
import io.paddock.client.testing.TcpProxy;
import io.paddock.client.testing.TestServer;
import io.paddock.protocol.ACL;
import io.paddock.protocol.Acls;
import io.paddock.protocol.CreateMode;
import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.Perms;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Digest authentication, its replay after a reconnect, and a rejected credential. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AuthTest {
    @RegisterExtension
    static final ServerPool SERVERS = new ServerPool();
    private final Clients clients = new Clients();
    private TcpProxy proxy;

    @AfterEach
    void cleanUp() {
        clients.close();
        if (proxy != null) {
            proxy.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"paddock", "apache"})
    void digestCredentialsGuardNodes(String kind) throws Exception {
        String cs = SERVERS.get(kind).connectString();
        PaddockClient alice = clients.connect(cs, b -> b.digestAuth("alice", "secret"));
        String path = alice.create("/auth-" + UUID.randomUUID(), "private".getBytes(), Acls.CREATOR_ALL_ACL,
                CreateMode.PERSISTENT);
        assertEquals(List.of(new ACL(Perms.ALL, DigestAuth.id("alice", "secret"))), alice.getACL(path).acl());
        assertEquals("alice:aYXlLOpEooaV1cRAvUL1fp9Qt7E=", DigestAuth.id("alice", "secret").id());
        assertTrue(alice.whoAmI().stream().anyMatch(i -> i.authScheme().equals("digest") && i.user().equals("alice")));

        PaddockClient anonymous = clients.connect(cs);
        PaddockException denied = assertThrows(PaddockException.class, () -> anonymous.getData(path));
        assertEquals(ErrorCode.NO_AUTH, denied.code());
        assertEquals(path, denied.path());

        PaddockClient bob = clients.connect(cs);
        bob.addAuthInfo(DigestAuth.SCHEME, DigestAuth.credentials("bob", "pw"));
        assertEquals(ErrorCode.NO_AUTH, assertThrows(PaddockException.class, () -> bob.getData(path)).code());

        PaddockClient alsoAlice = clients.connect(cs);
        alsoAlice.addAuthInfoAsync(DigestAuth.SCHEME, DigestAuth.credentials("alice", "secret")).get(10, TimeUnit.SECONDS);
        assertArrayEquals("private".getBytes(), alsoAlice.getData(path).data());

        // An explicit digest ACL works for the user it names.
        alice.setACL(path, List.of(DigestAuth.acl(Perms.READ, "bob", "pw"), DigestAuth.acl(Perms.ALL, "alice", "secret")), -1);
        assertArrayEquals("private".getBytes(), bob.getData(path).data());
        assertEquals(ErrorCode.NO_AUTH, assertThrows(PaddockException.class, () -> bob.setData(path, null, -1)).code());
    }

    @ParameterizedTest
    @ValueSource(strings = {"paddock", "apache"})
    void credentialsAreReplayedAfterAReconnect(String kind) throws Exception {
        TestServer server = SERVERS.get(kind);
        proxy = new TcpProxy(server.port());
        StateLog states = new StateLog();
        PaddockClient c = clients.connect(proxy.connectString(), b -> b.sessionTimeout(Duration.ofSeconds(6))
                .stateListener(states));
        c.addAuthInfo(DigestAuth.SCHEME, DigestAuth.credentials("carol", "pw"));
        String path = c.create("/replay-" + UUID.randomUUID(), "x".getBytes(), Acls.CREATOR_ALL_ACL, CreateMode.PERSISTENT);

        proxy.cut();
        states.awaitCount(DISCONNECTED, 1, Duration.ofSeconds(10));
        // Credentials added while disconnected go out with the next handshake.
        CompletableFuture<Void> late = c.addAuthInfoAsync(DigestAuth.SCHEME, DigestAuth.credentials("dave", "pw"));
        CompletableFuture<NodeData> read = c.getDataAsync(path);
        proxy.restore();
        late.get(10, TimeUnit.SECONDS);
        assertArrayEquals("x".getBytes(), read.get(10, TimeUnit.SECONDS).data());
        assertTrue(c.whoAmI().stream().anyMatch(i -> i.user().equals("dave")));
        // State changes reach listeners on the event thread, which may lag replies.
        states.awaitCount(SYNC_CONNECTED, 2, Duration.ofSeconds(10));
        assertEquals(List.of(SYNC_CONNECTED, DISCONNECTED, SYNC_CONNECTED), states.states());
    }

    @ParameterizedTest
    @ValueSource(strings = {"paddock", "apache"})
    void aRejectedCredentialStopsTheClient(String kind) throws Exception {
        StateLog states = new StateLog();
        PaddockClient c = clients.connect(SERVERS.get(kind).connectString(), b -> b.stateListener(states));
        PaddockException e = assertThrows(PaddockException.class, () -> c.addAuthInfo("nosuchscheme", new byte[] {1}));
        assertEquals(ErrorCode.AUTH_FAILED, e.code());
        states.awaitCount(AUTH_FAILED, 1, Duration.ofSeconds(10));
        assertEquals(ClientState.AUTH_FAILED, c.state());
        assertEquals(ErrorCode.AUTH_FAILED, assertThrows(PaddockException.class, () -> c.exists("/")).code());
        assertEquals(List.of(SYNC_CONNECTED, AUTH_FAILED), states.states());
    }
}
