package io.paddock.client.recipes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.client.PaddockClient;
import io.paddock.client.testing.Clients;
import io.paddock.client.testing.ServerPool;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IdGeneratorTest {
    @RegisterExtension
    static final ServerPool SERVERS = new ServerPool();
    private final Clients clients = new Clients();
    private final ExecutorService threads = Executors.newFixedThreadPool(8);

    @AfterEach
    void cleanUp() throws InterruptedException {
        clients.close();
        threads.shutdownNow();
        threads.awaitTermination(10, TimeUnit.SECONDS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"paddock", "apache"})
    void concurrentGeneratorsNeverRepeatAnId(String kind) throws Exception {
        String cs = SERVERS.get(kind).connectString();
        String path = "/ids/" + UUID.randomUUID();
        List<Future<List<Long>>> results = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            PaddockClient client = clients.connect(cs);
            IdGenerator generator = new IdGenerator(client, path);
            for (int t = 0; t < 2; t++) {
                results.add(threads.submit(() -> {
                    List<Long> ids = new ArrayList<>();
                    for (int i = 0; i < 50; i++) {
                        ids.add(generator.nextId());
                    }
                    return ids;
                }));
            }
        }
        Set<Long> all = new HashSet<>();
        long max = -1;
        for (Future<List<Long>> f : results) {
            List<Long> ids = f.get(50, TimeUnit.SECONDS);
            for (int i = 1; i < ids.size(); i++) {
                assertTrue(ids.get(i) > ids.get(i - 1), "one caller's ids increase");
            }
            all.addAll(ids);
            max = Math.max(max, ids.get(ids.size() - 1));
        }
        assertEquals(8 * 50, all.size(), "no id was handed out twice");
        // The id nodes were deleted, yet a new generator on the same path still moves forward.
        long next = new IdGenerator(clients.connect(cs), path).nextId();
        assertTrue(next > max, next + " after " + max);
    }
}
