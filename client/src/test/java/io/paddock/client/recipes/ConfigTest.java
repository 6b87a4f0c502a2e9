package io.paddock.client.recipes;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.client.PaddockClient;
import io.paddock.client.testing.Clients;
import io.paddock.client.testing.ServerPool;
import io.paddock.client.testing.StateLog;
import io.paddock.client.testing.TcpProxy;
import io.paddock.client.testing.TestServer;
import io.paddock.protocol.KeeperState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConfigTest {
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
    void subscribersFollowEveryPublication(String kind) throws Exception {
        String cs = SERVERS.get(kind).connectString();
        String path = "/config-" + UUID.randomUUID() + "/app";
        List<ConfigSubscriber> subscribers = new ArrayList<>();
        List<List<String>> seen = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            List<String> values = Collections.synchronizedList(new ArrayList<>());
            seen.add(values);
            ConfigSubscriber s = new ConfigSubscriber(clients.connect(cs), path,
                    v -> values.add(v == null ? "<none>" : new String(v, UTF_8)));
            s.start();
            assertNull(s.current(), "nothing published yet");
            subscribers.add(s);
        }
        ConfigPublisher publisher = new ConfigPublisher(clients.connect(cs), path);
        for (int v = 1; v <= 20; v++) {
            publisher.publish(("v" + v).getBytes(UTF_8));
        }
        for (int i = 0; i < 3; i++) {
            ConfigSubscriber s = subscribers.get(i);
            await().atMost(Duration.ofSeconds(10)).until(() -> Arrays.equals("v20".getBytes(UTF_8), s.current()));
            // Values arrive in publication order; quick successive ones may be folded together.
            List<String> values = List.copyOf(seen.get(i));
            int last = 0;
            for (String value : values) {
                if (value.equals("<none>")) {
                    assertEquals(0, last, "only the initial value may be missing");
                    continue;
                }
                int n = Integer.parseInt(value.substring(1));
                assertTrue(n > last, "out of order: " + values);
                last = n;
            }
        }
        subscribers.forEach(ConfigSubscriber::close);
    }

    @ParameterizedTest
    @ValueSource(strings = {"paddock", "apache"})
    void aSubscriberCatchesUpAfterAReconnect(String kind) throws Exception {
        TestServer server = SERVERS.get(kind);
        proxy = new TcpProxy(server.port());
        String path = "/config-" + UUID.randomUUID();
        ConfigPublisher publisher = new ConfigPublisher(clients.connect(server.connectString()), path);
        publisher.publish("before".getBytes(UTF_8));
        StateLog states = new StateLog();
        ConfigSubscriber s = new ConfigSubscriber(clients.connect(proxy.connectString(),
                b -> b.sessionTimeout(Duration.ofSeconds(8)).stateListener(states)), path, null);
        s.start();
        assertArrayEquals("before".getBytes(UTF_8), s.current());
        proxy.cut();
        states.awaitCount(KeeperState.DISCONNECTED, 1, Duration.ofSeconds(10));
        publisher.publish("during".getBytes(UTF_8));
        proxy.restore();
        await().atMost(Duration.ofSeconds(10)).until(() -> Arrays.equals("during".getBytes(UTF_8), s.current()));
        PaddockClient deleter = clients.connect(server.connectString());
        deleter.delete(path, -1);
        await().atMost(Duration.ofSeconds(10)).until(() -> s.current() == null);
        publisher.publish("again".getBytes(UTF_8));
        await().atMost(Duration.ofSeconds(10)).until(() -> Arrays.equals("again".getBytes(UTF_8), s.current()));
        assertEquals(List.of(KeeperState.SYNC_CONNECTED, KeeperState.DISCONNECTED, KeeperState.SYNC_CONNECTED),
                states.states());
        s.close();
    }
}
