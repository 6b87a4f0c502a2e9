package io.paddock.server.testing;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

/**
 * Sessions that keep working: each opened on one server with Apache's client, then looping
 * create, setData, getData and exists on its own znodes, on a thread of its own. Every operation
 * must succeed; the first failure of each session is kept for the test to report.
 */
public final class SessionWorkload implements AutoCloseable {
    private final List<ZooKeeper> sessions = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong ops = new AtomicLong();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private volatile boolean stopping;

    /** Opens one session on each connect string (30 s session timeout) and starts its loop. */
    public SessionWorkload(String prefix, List<String> connectStrings) throws Exception {
        try {
            for (String cs : connectStrings) {
                CountDownLatch up = new CountDownLatch(1);
                ZooKeeper zk = new ZooKeeper(cs, 30_000, e -> {
                    if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                        up.countDown();
                    }
                });
                sessions.add(zk);
                if (!up.await(20, TimeUnit.SECONDS)) {
                    throw new AssertionError("no session with " + cs + " within 20 s");
                }
            }
        } catch (Exception | AssertionError e) {
            close();
            throw e;
        }
        for (int i = 0; i < sessions.size(); i++) {
            ZooKeeper zk = sessions.get(i);
            String name = prefix + "-" + i + " on " + connectStrings.get(i);
            String root = "/" + prefix + "-" + i;
            Thread t = new Thread(() -> loop(zk, name, root), "workload " + name);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    private void loop(ZooKeeper zk, String name, String root) {
        long n = 0;
        try {
            zk.create(root, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            while (!stopping) {
                String path = root + "/n" + (n++ % 50);
                byte[] data = ("v" + n).getBytes(StandardCharsets.UTF_8);
                if (zk.exists(path, false) == null) {
                    zk.create(path, data, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                } else {
                    zk.setData(path, data, -1);
                }
                byte[] back = zk.getData(path, false, null);
                if (!java.util.Arrays.equals(data, back)) {
                    throw new AssertionError("read " + new String(back, StandardCharsets.UTF_8) + " after writing v" + n);
                }
                ops.addAndGet(3);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception | AssertionError e) {
            if (!stopping) {
                failures.add(name + ": " + e);
            }
        }
    }

    /** Operations that have succeeded so far, all sessions together. */
    public long ops() {
        return ops.get();
    }

    /** The first failure of each session that failed. */
    public List<String> failures() {
        return List.copyOf(failures);
    }

    /** Waits until the sessions together have done {@code more} operations beyond what they had done. */
    public void awaitProgress(long more, Duration atMost) {
        long target = ops() + more;
        await().atMost(atMost).until(() -> ops() >= target || !failures.isEmpty());
    }

    @Override
    public void close() throws InterruptedException {
        stopping = true;
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(15));
        }
        for (ZooKeeper zk : sessions) {
            zk.close();
        }
    }
}
