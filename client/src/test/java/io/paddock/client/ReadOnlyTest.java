package io.paddock.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.paddock.client.testing.StateLog;
import io.paddock.client.testing.TcpProxy;
import io.paddock.client.testing.TestServers;
import io.paddock.protocol.CreateMode;
import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.KeeperState;
import io.paddock.server.PaddockServer;
import io.paddock.server.config.ServerConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The client's read-only mode against three voters and an observer (in this JVM, real sockets):
 * the observer is cut off from the voters and serves read-only; a client that may be read-only
 * connects to it while no read-write server is reachable, then finds one by asking {@code isro}
 * in the background and moves to it, as Apache's client does.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ReadOnlyTest {
    private static final int OBSERVER = 4;
    private static final byte[] DATA = "before".getBytes(StandardCharsets.UTF_8);

    private final Path dir = TestServers.tempDir("paddock-client-readonly");
    private final PaddockServer[] servers = new PaddockServer[5];
    private final int[] clientPorts = new int[5];
    /** Every link between the observer and a voter, both ways: cut to isolate the observer. */
    private final List<TcpProxy> observerLinks = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
        for (PaddockServer s : servers) {
            if (s != null) {
                s.close();
            }
        }
        for (TcpProxy p : observerLinks) {
            p.close();
        }
        TestServers.deleteTree(dir);
    }

    @Test
    void connectsReadOnlyToAnIsolatedObserverThenMovesToAReadWriteServer() throws Exception {
        startEnsemble();
        await().atMost(Duration.ofSeconds(60)).until(() -> isro(OBSERVER).equals("rw") && isro(1).equals("rw")
                && isro(2).equals("rw") && isro(3).equals("rw"));
        PaddockClient writer = client("127.0.0.1:" + clientPorts[1], false, new StateLog());
        writer.create("/ro", DATA, CreateMode.PERSISTENT);
        await().atMost(Duration.ofSeconds(10)).until(() -> observerHas("/ro"));

        observerLinks.forEach(TcpProxy::cut);
        await().atMost(Duration.ofSeconds(30)).until(() -> isro(OBSERVER).equals("ro"));

        // The read-write server is unreachable for this client at first: only the observer answers.
        TcpProxy toVoter = new TcpProxy(clientPorts[1]);
        closeables.add(toVoter);
        toVoter.cut();
        StateLog states = new StateLog();
        PaddockClient ro = client("127.0.0.1:" + clientPorts[OBSERVER] + "," + toVoter.connectString(), true, states);
        assertEquals(ClientState.CONNECTED_READ_ONLY, ro.state());
        long readOnlySession = ro.sessionId();
        assertArrayEquals(DATA, ro.getData("/ro").data());
        PaddockException refused = assertThrows(PaddockException.class,
                () -> ro.create("/new", DATA, CreateMode.PERSISTENT));
        assertEquals(ErrorCode.NOT_READ_ONLY, refused.code());

        // The voter becomes reachable: the client's background isro finds it and moves there.
        toVoter.restore();
        states.awaitCount(KeeperState.SYNC_CONNECTED, 1, Duration.ofSeconds(30));
        assertEquals(ClientState.CONNECTED, ro.state());
        assertEquals("ro", isro(OBSERVER), "the observer is still cut off: the client moved by itself");
        // The read-only session was the observer's alone; the client now holds a session of the ensemble.
        assertNotEquals(readOnlySession, ro.sessionId());
        ro.create("/after", DATA, CreateMode.PERSISTENT);
        assertEquals(List.of(KeeperState.CONNECTED_READ_ONLY, KeeperState.DISCONNECTED, KeeperState.SYNC_CONNECTED),
                states.states());
    }

    private PaddockClient client(String connectString, boolean canBeReadOnly, StateLog states)
            throws InterruptedException {
        PaddockClient c = PaddockClient.builder(connectString).sessionTimeout(Duration.ofSeconds(10))
                .canBeReadOnly(canBeReadOnly).stateListener(states).build();
        closeables.add(c);
        await().atMost(Duration.ofSeconds(30)).until(() -> c.state().isConnected());
        return c;
    }

    private boolean observerHas(String path) throws InterruptedException {
        PaddockClient c = PaddockClient.builder("127.0.0.1:" + clientPorts[OBSERVER]).build();
        try {
            return c.awaitConnected(Duration.ofSeconds(10)) && c.exists(path) != null;
        } finally {
            c.close();
        }
    }

    private void startEnsemble() throws IOException {
        List<Integer> ports = io.paddock.server.testing.Clients.freePorts(12);
        int[] quorum = new int[5];
        int[] election = new int[5];
        for (int i = 1; i <= 4; i++) {
            clientPorts[i] = ports.get(3 * i - 3);
            quorum[i] = ports.get(3 * i - 2);
            election[i] = ports.get(3 * i - 1);
        }
        // The observer reaches each voter, and the voters reach it, through proxies of their own.
        String[] seenByObserver = new String[4];
        for (int j = 1; j <= 3; j++) {
            seenByObserver[j] = "127.0.0.1:" + link(quorum[j]) + ":" + link(election[j]);
        }
        String observerSeenByVoters = "127.0.0.1:" + link(quorum[OBSERVER]) + ":" + link(election[OBSERVER]) + ":observer";
        for (int i = 1; i <= 4; i++) {
            Properties p = TestServers.memberConfig(dir, i, clientPorts[i]);
            p.put("readonlymode.enabled", "true");
            for (int j = 1; j <= 3; j++) {
                String real = "127.0.0.1:" + quorum[j] + ":" + election[j];
                p.put("server." + j, i == OBSERVER ? seenByObserver[j] : real);
            }
            p.put("server." + OBSERVER, i == OBSERVER
                    ? "127.0.0.1:" + quorum[OBSERVER] + ":" + election[OBSERVER] + ":observer" : observerSeenByVoters);
            if (i == OBSERVER) {
                p.put("peerType", "observer");
            }
            servers[i] = PaddockServer.start(ServerConfig.parse(p, "readonly-test-" + i));
        }
    }

    private int link(int targetPort) {
        TcpProxy proxy = new TcpProxy(targetPort);
        observerLinks.add(proxy);
        return proxy.port();
    }

    /** The server's answer to isro, or "" when it cannot be reached. */
    private String isro(int i) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", clientPorts[i]), 1000);
            s.setSoTimeout(2000);
            s.getOutputStream().write("isro".getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return "";
        }
    }
}
