package io.paddock.client.recipes;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.client.PaddockClient;
import io.paddock.client.testing.Clients;
import io.paddock.client.testing.ServerPool;
import io.paddock.client.testing.TcpProxy;
import io.paddock.client.testing.TestServer;
import io.paddock.protocol.CreateMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DistributedLockTest {
    @RegisterExtension
    static final ServerPool SERVERS = new ServerPool(Map.of("tickTime", "200"));
    private final Clients clients = new Clients();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private TcpProxy proxy;

    @AfterEach
    void cleanUp() throws InterruptedException {
        clients.close();
        threads.shutdownNow();
        threads.awaitTermination(10, TimeUnit.SECONDS);
        if (proxy != null) {
            proxy.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"paddock", "apache"})
    void theLockIsNeverHeldByTwoAtOnce(String kind) throws Exception {
        String cs = SERVERS.get(kind).connectString();
        String lockPath = "/locks/" + UUID.randomUUID();
        PaddockClient setup = clients.connect(cs);
        Nodes.ensurePath(setup, lockPath);
        String counter = setup.create(lockPath + "-counter", "0".getBytes(UTF_8), CreateMode.PERSISTENT);

        int workers = 5;
        int rounds = 10;
        AtomicInteger holders = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            PaddockClient client = clients.connect(cs);
            DistributedLock lock = new DistributedLock(client, lockPath);
            done.add(threads.submit(() -> {
                for (int r = 0; r < rounds; r++) {
                    lock.acquire();
                    if (holders.incrementAndGet() != 1) {
                        overlaps.incrementAndGet();
                    }
                    // An unguarded read-modify-write: any overlap of holders loses an increment.
                    int value = Integer.parseInt(new String(client.getData(counter).data(), UTF_8));
                    client.setData(counter, Integer.toString(value + 1).getBytes(UTF_8), -1);
                    holders.decrementAndGet();
                    lock.release();
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get(50, TimeUnit.SECONDS);
        }
        assertEquals(0, overlaps.get());
        assertEquals(Integer.toString(workers * rounds), new String(setup.getData(counter).data(), UTF_8));
        assertEquals(List.of(), setup.getChildren(lockPath), "every waiter cleaned up after itself");
    }

    @ParameterizedTest
    @ValueSource(strings = {"paddock", "apache"})
    void aWaiterGivesUpAfterItsTimeoutAndLeavesNoTrace(String kind) throws Exception {
        String cs = SERVERS.get(kind).connectString();
        String lockPath = "/locks/" + UUID.randomUUID();
        PaddockClient a = clients.connect(cs);
        PaddockClient b = clients.connect(cs);
        DistributedLock lockA = new DistributedLock(a, lockPath);
        DistributedLock lockB = new DistributedLock(b, lockPath);
        lockA.acquire();
        assertTrue(lockA.isHeld());
        assertThrows(IllegalStateException.class, lockA::acquire);
        assertFalse(lockB.tryAcquire(Duration.ofMillis(200)));
        assertFalse(lockB.isHeld());
        assertEquals(1, a.getChildren(lockPath).size());
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return lockB.tryAcquire(Duration.ofSeconds(20));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, threads);
        await().atMost(Duration.ofSeconds(10)).until(() -> a.getChildren(lockPath).size() == 2);
        lockA.release();
        assertTrue(waiting.get(10, TimeUnit.SECONDS));
        assertTrue(lockB.isHeld());
        lockB.release();
    }

    @ParameterizedTest
    @ValueSource(strings = {"paddock", "apache"})
    void aHolderWhoseSessionDiesLosesTheLock(String kind) throws Exception {
        TestServer server = SERVERS.get(kind);
        proxy = new TcpProxy(server.port());
        String lockPath = "/locks/" + UUID.randomUUID();
        PaddockClient doomed = clients.connect(proxy.connectString(), b -> b.sessionTimeout(Duration.ofMillis(1000)));
        PaddockClient next = clients.connect(server.connectString());
        DistributedLock lost = new DistributedLock(doomed, lockPath);
        DistributedLock taker = new DistributedLock(next, lockPath);
        lost.acquire();
        Future<Boolean> waiting = threads.submit(() -> taker.tryAcquire(Duration.ofSeconds(30)));
        await().atMost(Duration.ofSeconds(10)).until(() -> next.getChildren(lockPath).size() == 2);
        proxy.blackhole();
        assertTrue(waiting.get(20, TimeUnit.SECONDS));
        await().atMost(Duration.ofSeconds(10)).until(() -> !lost.isHeld());
        taker.release();
    }
}
