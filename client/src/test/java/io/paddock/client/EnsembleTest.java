package io.paddock.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.client.testing.TestServers;
import io.paddock.protocol.CreateMode;
import io.paddock.server.PaddockServer;
import io.paddock.server.config.ServerConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Paddock's own client against a three-server Paddock ensemble (in this JVM, real sockets and
 * data directories): writes go on while the leader is stopped, the session and its ephemeral
 * survive, and every acknowledged write is on both remaining servers.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EnsembleTest {
    private final Path dir = TestServers.tempDir("paddock-client-ensemble");
    private final PaddockServer[] servers = new PaddockServer[4];
    private final int[] clientPorts = new int[4];
    private final List<PaddockClient> clients = new ArrayList<>();

    @AfterEach
    void stop() {
        for (PaddockClient c : clients) {
            c.close();
        }
        for (PaddockServer s : servers) {
            if (s != null) {
                s.close();
            }
        }
        TestServers.deleteTree(dir);
    }

    @Test
    void writesGoOnAcrossTheLossOfTheLeaderAndNothingAcknowledgedIsLost() throws Exception {
        startEnsemble();
        int leader = awaitLeader();
        PaddockClient writer = client(connectString());
        long session = writer.sessionId();
        writer.create("/k", new byte[0], CreateMode.PERSISTENT);
        writer.create("/k-owner", new byte[0], CreateMode.EPHEMERAL);

        Set<String> acked = ConcurrentHashMap.newKeySet();
        AtomicBoolean stop = new AtomicBoolean();
        Thread load = new Thread(() -> {
            long n = 0;
            while (!stop.get()) {
                String name = "n" + (++n);
                try {
                    writer.create("/k/" + name, new byte[50], CreateMode.PERSISTENT);
                    acked.add(name);
                } catch (PaddockException e) {
                    // Connection lost mid-write: the outcome is unknown, so it is not counted.
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "ensemble-writer");
        load.start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> acked.size() >= 200);
            servers[leader].close();
            servers[leader] = null;
            int before = acked.size();
            await().atMost(Duration.ofSeconds(60)).until(() -> acked.size() >= before + 200);
        } finally {
            stop.set(true);
            load.join(30_000);
        }
        assertEquals(session, writer.sessionId(), "the session moved with the client");
        assertNotNull(writer.exists("/k-owner"), "the ephemeral of the live session survives");

        for (int i = 1; i <= 3; i++) {
            if (servers[i] == null) {
                continue;
            }
            PaddockClient reader = client("127.0.0.1:" + clientPorts[i]);
            reader.sync("/k");
            Set<String> missing = new HashSet<>(acked);
            missing.removeAll(reader.getChildren("/k"));
            assertEquals(Set.of(), missing, "acknowledged writes missing on server " + i);
        }
    }

    private PaddockClient client(String connectString) throws InterruptedException {
        PaddockClient c = PaddockClient.builder(connectString).sessionTimeout(Duration.ofSeconds(10)).build();
        clients.add(c);
        assertTrue(c.awaitConnected(Duration.ofSeconds(30)), "no connection to " + connectString);
        return c;
    }

    private String connectString() {
        StringJoiner j = new StringJoiner(",");
        for (int i = 1; i <= 3; i++) {
            j.add("127.0.0.1:" + clientPorts[i]);
        }
        return j.toString();
    }

    private void startEnsemble() throws IOException {
        int[] quorum = new int[4];
        int[] election = new int[4];
        List<ServerSocket> reserved = new ArrayList<>();
        try {
            for (int i = 1; i <= 3; i++) {
                clientPorts[i] = reserve(reserved);
                quorum[i] = reserve(reserved);
                election[i] = reserve(reserved);
            }
        } finally {
            for (ServerSocket s : reserved) {
                s.close();
            }
        }
        for (int i = 1; i <= 3; i++) {
            Properties p = TestServers.memberConfig(dir, i, clientPorts[i]);
            p.put("4lw.commands.whitelist", "srvr");
            for (int j = 1; j <= 3; j++) {
                p.put("server." + j, "127.0.0.1:" + quorum[j] + ":" + election[j]);
            }
            servers[i] = PaddockServer.start(ServerConfig.parse(p, "ensemble-test-" + i));
        }
    }

    private static int reserve(List<ServerSocket> reserved) throws IOException {
        ServerSocket s = new ServerSocket();
        s.bind(new InetSocketAddress("127.0.0.1", 0));
        reserved.add(s);
        return s.getLocalPort();
    }

    private int awaitLeader() {
        int[] leader = {-1};
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            int leaders = 0;
            int serving = 0;
            for (int i = 1; i <= 3; i++) {
                String mode = mode(i);
                serving += mode.isEmpty() ? 0 : 1;
                if (mode.equals("leader")) {
                    leaders++;
                    leader[0] = i;
                }
            }
            return serving == 3 && leaders == 1;
        });
        return leader[0];
    }

    private String mode(int i) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", clientPorts[i]), 1000);
            s.setSoTimeout(2000);
            s.getOutputStream().write("srvr".getBytes(StandardCharsets.US_ASCII));
            for (String line : new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                if (line.startsWith("Mode: ")) {
                    return line.substring(6).trim();
                }
            }
        } catch (IOException e) {
            return "";
        }
        return "";
    }
}
