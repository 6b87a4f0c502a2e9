package io.paddock.client;

import static io.paddock.client.testing.EventLog.line;
import static io.paddock.protocol.EventType.NODE_DELETED;
import static io.paddock.protocol.KeeperState.CLOSED;
import static io.paddock.protocol.KeeperState.DISCONNECTED;
import static io.paddock.protocol.KeeperState.EXPIRED;
import static io.paddock.protocol.KeeperState.SYNC_CONNECTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.paddock.client.testing.Clients;
import io.paddock.client.testing.EventLog;
import io.paddock.client.testing.ServerPool;
import io.paddock.client.testing.StateLog;
import io.paddock.client.testing.TcpProxy;
import io.paddock.client.testing.TestServer;
import io.paddock.protocol.CreateMode;
import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.Stat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Session expiry and close: reported once, final, and every waiting or later request fails. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ExpiryTest {
    /** tickTime 200 ms: sessions of 400 ms to 4 s, expiry checked five times a second. */
    @RegisterExtension
    static final ServerPool SERVERS = new ServerPool(Map.of("tickTime", "200"));
    private final Clients clients = new Clients();
    private final List<TcpProxy> proxies = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        clients.close();
        proxies.forEach(TcpProxy::close);
    }

    private TcpProxy proxy(TestServer server) {
        TcpProxy proxy = new TcpProxy(server.port());
        proxies.add(proxy);
        return proxy;
    }

    private static void assertFailsWith(ErrorCode code, CompletableFuture<?> future) {
        CompletionException e = assertThrows(CompletionException.class, future::join);
        assertEquals(code, assertInstanceOf(PaddockException.class, e.getCause()).code());
    }

    @ParameterizedTest
    @ValueSource(strings = {"paddock", "apache"})
    void aServerReportingTheSessionGoneEndsTheClient(String kind) throws Exception {
        TestServer server = SERVERS.get(kind);
        TcpProxy proxy = proxy(server);
        StateLog states = new StateLog();
        PaddockClient c = clients.connect(proxy.connectString(),
                b -> b.sessionTimeout(Duration.ofSeconds(4)).stateListener(states));
        String eph = c.create("/expiry-" + UUID.randomUUID(), null, CreateMode.EPHEMERAL);

        proxy.cut();
        states.awaitCount(DISCONNECTED, 1, Duration.ofSeconds(10));
        CompletableFuture<Stat> waiting = c.existsAsync("/");
        // Someone else holding the id and password ends the session on the server.
        PaddockClient thief = clients.connect(server.connectString(), b -> b.session(c.sessionId(), c.sessionPassword()));
        assertEquals(c.sessionId(), thief.sessionId());
        thief.close();
        proxy.restore();

        states.awaitCount(EXPIRED, 1, Duration.ofSeconds(10));
        assertEquals(ClientState.EXPIRED, c.state());
        assertFailsWith(ErrorCode.SESSION_EXPIRED, waiting);
        PaddockException after = assertThrows(PaddockException.class, () -> c.getData("/"));
        assertEquals(ErrorCode.SESSION_EXPIRED, after.code());
        assertEquals("KeeperErrorCode = Session expired for /", after.getMessage());
        PaddockClient observer = clients.connect(server.connectString());
        assertNull(observer.exists(eph));
        // State changes reach listeners on the event thread, which may lag replies.
        states.awaitCount(EXPIRED, 1, Duration.ofSeconds(10));
        assertEquals(List.of(SYNC_CONNECTED, DISCONNECTED, EXPIRED), states.states());
    }

    @ParameterizedTest
    @ValueSource(strings = {"paddock", "apache"})
    void aSessionTheServerTimedOutIsReportedExpired(String kind) throws Exception {
        TestServer server = SERVERS.get(kind);
        TcpProxy proxy = proxy(server);
        StateLog states = new StateLog();
        PaddockClient c = clients.connect(proxy.connectString(),
                b -> b.sessionTimeout(Duration.ofMillis(1000)).stateListener(states));
        assertEquals(1000, c.sessionTimeoutMs());
        String eph = c.create("/timeout-" + UUID.randomUUID(), null, CreateMode.EPHEMERAL);
        PaddockClient observer = clients.connect(server.connectString());
        EventLog deleted = new EventLog();
        observer.exists(eph, deleted);

        proxy.cut();
        states.awaitCount(DISCONNECTED, 1, Duration.ofSeconds(10));
        CompletableFuture<List<String>> waiting = c.getChildrenAsync("/");
        assertEquals(List.of(line(NODE_DELETED, eph)), deleted.awaitCount(1), "the server expired the session");
        proxy.restore();

        states.awaitCount(EXPIRED, 1, Duration.ofSeconds(10));
        assertFailsWith(ErrorCode.SESSION_EXPIRED, waiting);
        assertFailsWith(ErrorCode.SESSION_EXPIRED, c.setDataAsync("/", null, -1));
        assertEquals(List.of(SYNC_CONNECTED, DISCONNECTED, EXPIRED), states.states());
    }

    @ParameterizedTest
    @ValueSource(strings = {"paddock", "apache"})
    void withNoServerReachableTheClientGivesUpAfterFourThirdsOfTheTimeout(String kind) throws Exception {
        TestServer server = SERVERS.get(kind);
        TcpProxy proxy = proxy(server);
        StateLog states = new StateLog();
        PaddockClient c = clients.connect(proxy.connectString(),
                b -> b.sessionTimeout(Duration.ofMillis(900)).requestTimeout(Duration.ofSeconds(30)).stateListener(states));
        proxy.cut();
        states.awaitCount(DISCONNECTED, 1, Duration.ofSeconds(10));
        long start = System.nanoTime();
        PaddockException e = assertThrows(PaddockException.class, () -> c.exists("/"));
        assertEquals(ErrorCode.SESSION_EXPIRED, e.code(), "a blocked caller is released by the expiry");
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(List.of(SYNC_CONNECTED, DISCONNECTED, EXPIRED), waitFor(states, EXPIRED));
        // 4/3 of 900 ms after the last thing heard; well before the 30 s request timeout.
        org.junit.jupiter.api.Assertions.assertTrue(waited < 10_000, "waited " + waited + " ms");
    }

    @ParameterizedTest
    @ValueSource(strings = {"paddock", "apache"})
    void closeEndsTheSessionAtOnce(String kind) throws Exception {
        TestServer server = SERVERS.get(kind);
        StateLog states = new StateLog();
        PaddockClient c = clients.connect(server.connectString(), b -> b.stateListener(states));
        String eph = c.create("/close-" + UUID.randomUUID(), null, CreateMode.EPHEMERAL);
        PaddockClient observer = clients.connect(server.connectString());
        EventLog deleted = new EventLog();
        observer.exists(eph, deleted);
        c.close();
        assertEquals(List.of(line(NODE_DELETED, eph)), deleted.awaitCount(1));
        assertEquals(ClientState.CLOSED, c.state());
        assertEquals(List.of(SYNC_CONNECTED, CLOSED), waitFor(states, CLOSED));
        assertEquals(ErrorCode.SESSION_EXPIRED, assertThrows(PaddockException.class, () -> c.exists("/")).code());
        assertFailsWith(ErrorCode.SESSION_EXPIRED, c.existsAsync("/"));
        // A closed session cannot be re-attached either.
        StateLog late = new StateLog();
        clients.start(server.connectString(), b -> b.session(c.sessionId(), c.sessionPassword()).stateListener(late));
        late.awaitCount(EXPIRED, 1, Duration.ofSeconds(10));
    }

    private static List<io.paddock.protocol.KeeperState> waitFor(StateLog log, io.paddock.protocol.KeeperState state) {
        log.awaitCount(state, 1, Duration.ofSeconds(10));
        return log.states();
    }
}
