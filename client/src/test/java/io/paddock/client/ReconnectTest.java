package io.paddock.client;

import static io.paddock.client.testing.EventLog.line;
import static io.paddock.protocol.EventType.NODE_CHILDREN_CHANGED;
import static io.paddock.protocol.EventType.NODE_CREATED;
import static io.paddock.protocol.EventType.NODE_DATA_CHANGED;
import static io.paddock.protocol.EventType.NODE_DELETED;
import static io.paddock.protocol.KeeperState.DISCONNECTED;
import static io.paddock.protocol.KeeperState.SYNC_CONNECTED;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.client.testing.Clients;
import io.paddock.client.testing.EventLog;
import io.paddock.client.testing.ServerPool;
import io.paddock.client.testing.StateLog;
import io.paddock.client.testing.TcpProxy;
import io.paddock.client.testing.TestServer;
import io.paddock.protocol.AddWatchMode;
import io.paddock.protocol.CreateMode;
import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.Stat;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Losing and regaining connections, through a proxy the test cuts: the session survives, watches
 * are re-registered with setWatches and the events missed meanwhile arrive.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ReconnectTest {
    /** A short tick so that timeouts (and a silent-server detection) take seconds, not tens. */
    @RegisterExtension
    static final ServerPool SERVERS = new ServerPool(Map.of("tickTime", "500"));
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

    private static String root(PaddockClient c) throws InterruptedException {
        return c.create("/reconnect-" + UUID.randomUUID(), null, CreateMode.PERSISTENT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"paddock", "apache"})
    void noWatchEventIsLostAcrossAReconnect(String kind) throws Exception {
        TestServer server = SERVERS.get(kind);
        TcpProxy proxy = proxy(server);
        StateLog states = new StateLog();
        PaddockClient c = clients.connect(proxy.connectString(),
                b -> b.sessionTimeout(Duration.ofSeconds(4)).stateListener(states));
        PaddockClient other = clients.connect(server.connectString());
        String root = root(other);
        String data = other.create(root + "/data", null, CreateMode.PERSISTENT);
        String gone = other.create(root + "/gone", null, CreateMode.PERSISTENT);
        String parent = other.create(root + "/parent", null, CreateMode.PERSISTENT);
        String quiet = other.create(root + "/quiet", null, CreateMode.PERSISTENT);
        String later = root + "/later";
        String persistent = other.create(root + "/persistent", null, CreateMode.PERSISTENT);
        String eph = c.create(root + "/eph", null, CreateMode.EPHEMERAL);

        EventLog log = new EventLog();
        EventLog quietLog = new EventLog();
        EventLog persistentLog = new EventLog();
        c.getData(data, log);
        c.exists(gone, log);
        c.exists(later, log);
        c.getChildren(parent, log);
        c.getData(quiet, quietLog);
        c.addWatch(persistent, persistentLog, AddWatchMode.PERSISTENT);
        long session = c.sessionId();

        proxy.cut();
        states.awaitCount(DISCONNECTED, 1, Duration.ofSeconds(10));
        other.setData(data, new byte[] {1}, -1);
        other.delete(gone, -1);
        other.create(later, null, CreateMode.PERSISTENT);
        other.create(parent + "/kid", null, CreateMode.PERSISTENT);
        proxy.restore();

        states.awaitCount(SYNC_CONNECTED, 2, Duration.ofSeconds(10));
        assertEquals(session, c.sessionId());
        assertEquals(Set.of(line(NODE_DATA_CHANGED, data), line(NODE_DELETED, gone), line(NODE_CREATED, later),
                line(NODE_CHILDREN_CHANGED, parent)), new TreeSet<>(log.awaitCount(4)));
        assertNotNull(other.exists(eph), "the session, and so its ephemeral node, survived");

        // Watches that had nothing to report were re-registered, not fired.
        other.setData(quiet, new byte[] {1}, -1);
        other.setData(persistent, new byte[] {1}, -1);
        assertEquals(List.of(line(NODE_DATA_CHANGED, quiet)), quietLog.awaitCount(1));
        assertEquals(List.of(line(NODE_DATA_CHANGED, persistent)), persistentLog.awaitCount(1));
        assertEquals(List.of(SYNC_CONNECTED, DISCONNECTED, SYNC_CONNECTED), states.states());
    }

    @ParameterizedTest
    @ValueSource(strings = {"paddock", "apache"})
    void requestsIssuedWhileDisconnectedRunAfterReconnectInOrder(String kind) throws Exception {
        TestServer server = SERVERS.get(kind);
        TcpProxy proxy = proxy(server);
        StateLog states = new StateLog();
        PaddockClient c = clients.connect(proxy.connectString(),
                b -> b.sessionTimeout(Duration.ofSeconds(4)).stateListener(states));
        String root = root(c);
        proxy.cut();
        states.awaitCount(DISCONNECTED, 1, Duration.ofSeconds(10));
        List<Integer> order = new ArrayList<>();
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int n = i;
            all.add(c.createAsync(root + "/n" + i, null, CreateMode.PERSISTENT).thenRun(() -> order.add(n)));
        }
        proxy.restore();
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        assertEquals(20, c.getChildren(root).size());
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            expected.add(i);
        }
        assertEquals(expected, order);
    }

    @ParameterizedTest
    @ValueSource(strings = {"paddock", "apache"})
    void requestsFailWhenTheyWaitTooLong(String kind) throws Exception {
        TestServer server = SERVERS.get(kind);
        TcpProxy proxy = proxy(server);
        StateLog states = new StateLog();
        PaddockClient c = clients.connect(proxy.connectString(), b -> b.sessionTimeout(Duration.ofSeconds(8))
                .requestTimeout(Duration.ofMillis(300)).stateListener(states));
        proxy.cut();
        states.awaitCount(DISCONNECTED, 1, Duration.ofSeconds(10));
        CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                () -> c.getDataAsync("/").join());
        assertEquals(ErrorCode.REQUEST_TIMEOUT, assertInstanceOf(PaddockException.class, e.getCause()).code());
        proxy.restore();
        states.awaitCount(SYNC_CONNECTED, 2, Duration.ofSeconds(10));
        assertNotNull(c.exists("/"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"paddock", "apache"})
    void requestsInFlightWhenTheConnectionDropsFailWithConnectionLoss(String kind) throws Exception {
        TestServer server = SERVERS.get(kind);
        TcpProxy proxy = proxy(server);
        StateLog states = new StateLog();
        PaddockClient c = clients.connect(proxy.connectString(),
                b -> b.sessionTimeout(Duration.ofSeconds(4)).stateListener(states));
        proxy.blackhole();
        CompletableFuture<Stat> lost = c.existsAsync("/");
        proxy.cut();
        CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class, lost::join);
        PaddockException pe = assertInstanceOf(PaddockException.class, e.getCause());
        assertEquals(ErrorCode.CONNECTION_LOSS, pe.code());
        assertEquals("/", pe.path());
        proxy.restore();
        states.awaitCount(SYNC_CONNECTED, 2, Duration.ofSeconds(10));
    }

    @ParameterizedTest
    @ValueSource(strings = {"paddock", "apache"})
    void aSilentServerIsNoticedAndLeft(String kind) throws Exception {
        TestServer server = SERVERS.get(kind);
        TcpProxy proxy = proxy(server);
        StateLog states = new StateLog();
        // Timeout 3 s: pings every second, silence noticed after 2 s, session kept for 3.
        PaddockClient c = clients.connect(proxy.connectString(),
                b -> b.sessionTimeout(Duration.ofSeconds(3)).stateListener(states));
        long session = c.sessionId();
        proxy.blackhole();
        states.awaitCount(DISCONNECTED, 1, Duration.ofSeconds(10));
        proxy.cut();
        proxy.restore();
        states.awaitCount(SYNC_CONNECTED, 2, Duration.ofSeconds(10));
        assertEquals(session, c.sessionId());
        assertEquals(ClientState.CONNECTED, c.state());
    }

    @ParameterizedTest
    @ValueSource(strings = {"paddock", "apache"})
    void deadHostsAreSkipped(String kind) throws Exception {
        TestServer server = SERVERS.get(kind);
        int dead = deadPort();
        // The list is shuffled, so try enough times to start on a dead host at least once: a
        // port nobody listens on, and a name that does not resolve.
        for (int i = 0; i < 6; i++) {
            PaddockClient c = clients.connect("no-such-host.invalid:2181,127.0.0.1:" + dead + ",127.0.0.1:" + server.port(),
                    b -> b.sessionTimeout(Duration.ofSeconds(4)));
            assertNotNull(c.exists("/"));
            c.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"paddock", "apache"})
    void theSessionMovesToTheNextHost(String kind) throws Exception {
        TestServer server = SERVERS.get(kind);
        TcpProxy a = proxy(server);
        TcpProxy b = proxy(server);
        StateLog states = new StateLog();
        PaddockClient c = clients.connect(a.connectString() + "," + b.connectString(),
                builder -> builder.sessionTimeout(Duration.ofSeconds(4)).stateListener(states));
        long session = c.sessionId();
        String eph = c.create("/moving-" + UUID.randomUUID(), null, CreateMode.EPHEMERAL);
        a.cut();
        await().atMost(Duration.ofSeconds(10)).until(() -> c.state() == ClientState.CONNECTED && c.exists(eph) != null);
        int reconnects = states.count(SYNC_CONNECTED);
        b.cut();
        a.restore();
        states.awaitCount(SYNC_CONNECTED, reconnects + 1, Duration.ofSeconds(10));
        assertNotNull(c.exists(eph));
        assertEquals(session, c.sessionId());
        assertTrue(states.count(DISCONNECTED) >= 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"paddock", "apache"})
    void watchesBeyondOneFrameAreReRegisteredInBatches(String kind) throws Exception {
        TestServer server = SERVERS.get(kind);
        TcpProxy proxy = proxy(server);
        StateLog states = new StateLog();
        PaddockClient c = clients.connect(proxy.connectString(),
                b -> b.sessionTimeout(Duration.ofSeconds(8)).stateListener(states));
        PaddockClient other = clients.connect(server.connectString());
        String root = root(other);
        // 2,200 exist watches of ~500 characters: 1.1 MB of paths, more than one frame may hold.
        String pad = "x".repeat(460);
        List<String> paths = new ArrayList<>();
        EventLog log = new EventLog();
        List<CompletableFuture<Stat>> registered = new ArrayList<>();
        for (int i = 0; i < 2200; i++) {
            String path = root + "/" + pad + String.format("%05d", i);
            paths.add(path);
            registered.add(c.existsAsync(path, log));
        }
        CompletableFuture.allOf(registered.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        proxy.cut();
        states.awaitCount(DISCONNECTED, 1, Duration.ofSeconds(10));
        List<String> created = List.of(paths.get(0), paths.get(1100), paths.get(2199));
        for (String p : created) {
            other.create(p, null, CreateMode.PERSISTENT);
        }
        proxy.restore();
        states.awaitCount(SYNC_CONNECTED, 2, Duration.ofSeconds(10));
        Set<String> expected = new TreeSet<>();
        created.forEach(p -> expected.add(line(NODE_CREATED, p)));
        assertEquals(expected, new TreeSet<>(log.awaitCount(3)));
        assertFalse(states.states().contains(io.paddock.protocol.KeeperState.EXPIRED));
        // The rest are still registered: one more creation is reported too.
        other.create(paths.get(7), null, CreateMode.PERSISTENT);
        assertTrue(log.awaitCount(4).contains(line(NODE_CREATED, paths.get(7))));
        assertEquals(List.of(SYNC_CONNECTED, DISCONNECTED, SYNC_CONNECTED), states.states());
    }

    private static int deadPort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        }
    }
}
