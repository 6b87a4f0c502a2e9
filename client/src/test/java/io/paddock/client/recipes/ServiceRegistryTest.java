package io.paddock.client.recipes;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.client.PaddockClient;
import io.paddock.client.testing.Clients;
import io.paddock.client.testing.ServerPool;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
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
class ServiceRegistryTest {
    @RegisterExtension
    static final ServerPool SERVERS = new ServerPool(Map.of("tickTime", "200"));
    private final Clients clients = new Clients();
    private Process child;

    @AfterEach
    void cleanUp() throws InterruptedException {
        clients.close();
        if (child != null) {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"paddock", "apache"})
    void instancesAreDiscoveredAndBalanced(String kind) throws Exception {
        String cs = SERVERS.get(kind).connectString();
        String base = "/services-" + UUID.randomUUID();
        List<PaddockClient> owners = new ArrayList<>();
        List<ServiceInstance> registered = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            PaddockClient owner = clients.connect(cs);
            owners.add(owner);
            registered.add(new ServiceRegistry(owner, base).register("billing", "10.0.0." + i + ":8080"));
        }
        PaddockClient consumer = clients.connect(cs);
        ServiceCache cache = new ServiceCache(consumer, base, "billing").start();
        assertEquals(Set.copyOf(registered), Set.copyOf(cache.instances()));

        // Round robin visits every instance once per cycle.
        InstancePicker roundRobin = InstancePicker.roundRobin();
        Set<ServiceInstance> cycle = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            cycle.add(cache.pick(roundRobin).orElseThrow());
        }
        assertEquals(Set.copyOf(registered), cycle);
        InstancePicker random = InstancePicker.random();
        for (int i = 0; i < 20; i++) {
            assertTrue(registered.contains(cache.pick(random).orElseThrow()));
        }

        // A clean unregister and a closed session both drop out of the live list.
        new ServiceRegistry(owners.get(0), base).unregister("billing", registered.get(0));
        owners.get(1).close();
        await().atMost(Duration.ofSeconds(10)).until(() -> cache.instances().equals(List.of(registered.get(2))));
        // A new instance shows up.
        ServiceInstance late = new ServiceRegistry(owners.get(2), base).register("billing", "10.0.0.9:8080");
        await().atMost(Duration.ofSeconds(10)).until(() -> cache.instances().size() == 2 && cache.instances().contains(late));
        cache.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"paddock", "apache"})
    void aKilledProcessDropsOutOfTheRegistry(String kind) throws Exception {
        String cs = SERVERS.get(kind).connectString();
        String base = "/services-" + UUID.randomUUID();
        PaddockClient consumer = clients.connect(cs);
        ServiceCache cache = new ServiceCache(consumer, base, "search").start();
        List<List<ServiceInstance>> seen = new ArrayList<>();
        cache.addListener(list -> {
            synchronized (seen) {
                seen.add(list);
            }
        });

        child = new ProcessBuilder(javaBinary(), "-cp", classPath(), RegisteredProcess.class.getName(),
                cs, base, "search", "192.0.2.7:9200").redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String line;
        String id = null;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("REGISTERED ")) {
                id = line.substring("REGISTERED ".length());
                break;
            }
        }
        String instanceId = id;
        assertTrue(instanceId != null, "the child process registered");
        await().atMost(Duration.ofSeconds(10)).until(() ->
                cache.instances().equals(List.of(new ServiceInstance(instanceId, "192.0.2.7:9200"))));

        child.destroyForcibly();
        assertTrue(child.waitFor(10, TimeUnit.SECONDS));
        // No goodbye from a killed process: the server expires its session (1 s) and the
        // instance's node with it.
        await().atMost(Duration.ofSeconds(10)).until(() -> cache.instances().isEmpty());
        synchronized (seen) {
            assertEquals(List.of(), seen.get(seen.size() - 1));
        }
        cache.close();
    }

    private static String javaBinary() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }

    private static String classPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }
}
