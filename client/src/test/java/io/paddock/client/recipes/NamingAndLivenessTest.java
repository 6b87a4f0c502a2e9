package io.paddock.client.recipes;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.client.PaddockClient;
import io.paddock.client.PaddockException;
import io.paddock.client.testing.Clients;
import io.paddock.client.testing.ServerPool;
import io.paddock.client.testing.TcpProxy;
import io.paddock.client.testing.TestServer;
import io.paddock.protocol.ErrorCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NamingAndLivenessTest {
    @RegisterExtension
    static final ServerPool SERVERS = new ServerPool(Map.of("tickTime", "200"));
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
    void namesAreBoundOnceAndUniqueNamesNeverRepeat(String kind) throws Exception {
        String cs = SERVERS.get(kind).connectString();
        String root = "/names-" + UUID.randomUUID();
        PaddockClient a = clients.connect(cs);
        PaddockClient b = clients.connect(cs);
        NamingService namesA = new NamingService(a, root);
        NamingService namesB = new NamingService(b, root);

        namesA.bind("db-primary", "10.0.0.1:5432".getBytes(UTF_8));
        PaddockException taken = assertThrows(PaddockException.class, () -> namesB.bind("db-primary", new byte[0]));
        assertEquals(ErrorCode.NODE_EXISTS, taken.code());
        assertArrayEquals("10.0.0.1:5432".getBytes(UTF_8), namesB.lookup("db-primary"));
        assertNull(namesB.lookup("nothing"));

        List<String> unique = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            unique.add(namesA.bindUnique("worker-", null, false));
            unique.add(namesB.bindUnique("worker-", null, true));
        }
        assertEquals(10, Set.copyOf(unique).size());
        List<String> sorted = new ArrayList<>(unique);
        Collections.sort(sorted);
        assertEquals(sorted, unique, "names are handed out in increasing order");
        assertEquals(11, namesA.list().size());

        namesA.unbind("db-primary");
        assertNull(namesB.lookup("db-primary"));
        b.close();
        // b's ephemeral names went with its session.
        assertEquals(5, namesA.list().size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"paddock", "apache"})
    void membersThatStopBeatingAreReportedGone(String kind) throws Exception {
        TestServer server = SERVERS.get(kind);
        proxy = new TcpProxy(server.port());
        String group = "/alive-" + UUID.randomUUID();
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        LivenessMonitor monitor = new LivenessMonitor(clients.connect(server.connectString()), group,
                new LivenessMonitor.Listener() {
                    @Override
                    public void joined(String member) {
                        log.add("+" + member);
                    }

                    @Override
                    public void left(String member) {
                        log.add("-" + member);
                    }
                }).start();

        Heartbeat calm = new Heartbeat(clients.connect(server.connectString()), group, "calm", null).start();
        Heartbeat leaving = new Heartbeat(clients.connect(server.connectString()), group, "leaving", null).start();
        PaddockClient fragile = clients.connect(proxy.connectString(), b -> b.sessionTimeout(Duration.ofMillis(1000)));
        new Heartbeat(fragile, group, "fragile", "host-3".getBytes(UTF_8)).start();
        await().atMost(Duration.ofSeconds(10)).until(() -> monitor.alive().equals(Set.of("calm", "leaving", "fragile")));

        PaddockClient impostor = clients.connect(server.connectString());
        assertEquals(ErrorCode.NODE_EXISTS, assertThrows(PaddockException.class,
                () -> new Heartbeat(impostor, group, "calm", null).start()).code());

        leaving.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> monitor.alive().equals(Set.of("calm", "fragile")));
        proxy.blackhole();
        await().atMost(Duration.ofSeconds(10)).until(() -> monitor.alive().equals(Set.of("calm")));
        assertTrue(log.containsAll(List.of("+calm", "+leaving", "+fragile", "-leaving", "-fragile")), log.toString());
        assertTrue(log.indexOf("-leaving") < log.indexOf("-fragile"));
        calm.close();
        monitor.close();
    }
}
