package io.paddock.server.interop;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.server.testing.TestServer;
import io.paddock.server.testing.TestServers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.atomic.AtomicValue;
import org.apache.curator.framework.recipes.atomic.DistributedAtomicLong;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.retry.RetryNTimes;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Apache Curator's recipes, unchanged, against a real Paddock server. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CuratorTest {
    private TestServer server;
    private final List<CuratorFramework> clients = new ArrayList<>();

    @BeforeEach
    void start() {
        server = TestServers.paddock(Map.of("znode.container.checkIntervalMs", "100"));
    }

    @AfterEach
    void stop() {
        for (CuratorFramework c : clients) {
            c.close();
        }
        server.close();
    }

    private CuratorFramework curator() throws InterruptedException {
        CuratorFramework c = CuratorFrameworkFactory.builder().connectString(server.connectString())
                .sessionTimeoutMs(10_000).connectionTimeoutMs(10_000)
                .retryPolicy(new ExponentialBackoffRetry(50, 5)).build();
        c.start();
        assertTrue(c.blockUntilConnected(10, TimeUnit.SECONDS));
        clients.add(c);
        return c;
    }

    @Test
    void crudWithParentContainers() throws Exception {
        CuratorFramework c = curator();
        c.create().creatingParentContainersIfNeeded().forPath("/app/config/db", "x".getBytes(StandardCharsets.UTF_8));
        assertEquals("x", new String(c.getData().forPath("/app/config/db"), StandardCharsets.UTF_8));
        c.setData().forPath("/app/config/db", "y".getBytes(StandardCharsets.UTF_8));
        assertEquals(1, c.checkExists().forPath("/app/config/db").getVersion());
        c.delete().deletingChildrenIfNeeded().forPath("/app/config");
        // /app is a container that had a child: the reaper removes it through the normal write path.
        await().atMost(Duration.ofSeconds(10)).until(() -> c.checkExists().forPath("/app") == null);
        c.transaction().forOperations(c.transactionOp().create().forPath("/t1"),
                c.transactionOp().create().withMode(CreateMode.EPHEMERAL).forPath("/t1/e"));
        assertNotNull(c.checkExists().forPath("/t1/e"));
    }

    @Test
    void mutexIsExclusive() throws Exception {
        AtomicInteger holders = new AtomicInteger();
        AtomicInteger maxHolders = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            InterProcessMutex mutex = new InterProcessMutex(curator(), "/locks/m");
            Thread t = new Thread(() -> {
                try {
                    for (int k = 0; k < 10; k++) {
                        assertTrue(mutex.acquire(30, TimeUnit.SECONDS));
                        maxHolders.accumulateAndGet(holders.incrementAndGet(), Math::max);
                        holders.decrementAndGet();
                        mutex.release();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join(60_000);
            assertFalse(t.isAlive());
        }
        assertEquals(1, maxHolders.get());
    }

    @Test
    void leaderLatchElectsOneAndHandsOver() throws Exception {
        LeaderLatch a = new LeaderLatch(curator(), "/election", "a");
        LeaderLatch b = new LeaderLatch(curator(), "/election", "b");
        a.start();
        b.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> a.hasLeadership() ^ b.hasLeadership());
        LeaderLatch leader = a.hasLeadership() ? a : b;
        LeaderLatch other = leader == a ? b : a;
        leader.close();
        await().atMost(Duration.ofSeconds(10)).until(other::hasLeadership);
        other.close();
    }

    @Test
    void curatorCacheFollowsATreeWithRecursiveWatches() throws Exception {
        CuratorFramework c = curator();
        c.create().forPath("/cache");
        List<String> seen = new CopyOnWriteArrayList<>();
        CuratorCache cache = CuratorCache.build(curator(), "/cache");
        cache.listenable().addListener(CuratorCacheListener.builder()
                .forCreates(n -> seen.add("created " + n.getPath()))
                .forChanges((before, after) -> seen.add("changed " + after.getPath()))
                .forDeletes(n -> seen.add("deleted " + n.getPath()))
                .build());
        cache.start();
        // One step at a time: the cache reads a node after its event, so it coalesces fast changes.
        c.create().creatingParentsIfNeeded().forPath("/cache/a/b", "1".getBytes(StandardCharsets.UTF_8));
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains("created /cache/a/b"));
        c.setData().forPath("/cache/a/b", "2".getBytes(StandardCharsets.UTF_8));
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains("changed /cache/a/b"));
        c.delete().forPath("/cache/a/b");
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains("deleted /cache/a/b"));
        assertTrue(cache.get("/cache/a").isPresent());
        cache.close();
    }

    @Test
    void persistentNodeComesBackAndAtomicLongCounts() throws Exception {
        CuratorFramework c = curator();
        PersistentNode node = new PersistentNode(c, CreateMode.EPHEMERAL, false, "/members/me",
                "hi".getBytes(StandardCharsets.UTF_8));
        node.start();
        assertTrue(node.waitForInitialCreate(10, TimeUnit.SECONDS));
        CuratorFramework other = curator();
        other.delete().forPath("/members/me");
        await().atMost(Duration.ofSeconds(10)).until(() -> other.checkExists().forPath("/members/me") != null);
        node.close();
        assertNull(other.checkExists().forPath("/members/me"));

        DistributedAtomicLong counter = new DistributedAtomicLong(c, "/counter", new RetryNTimes(10, 10));
        for (int i = 0; i < 5; i++) {
            AtomicValue<Long> v = counter.increment();
            assertTrue(v.succeeded());
        }
        assertEquals(5L, counter.get().postValue());
    }
}
