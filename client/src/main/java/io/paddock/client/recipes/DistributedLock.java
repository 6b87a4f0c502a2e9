package io.paddock.client.recipes;

import io.paddock.client.PaddockClient;
import io.paddock.client.PaddockException;
import io.paddock.client.StateListener;
import io.paddock.client.Watcher;
import io.paddock.protocol.CreateMode;
import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.KeeperState;
import io.paddock.protocol.WatcherType;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A mutual-exclusion lock shared by every client that uses the same lock node. Waiters queue as
 * ephemeral sequential children, first come first served; each waits for the deletion of the
 * child just before its own, so a release wakes exactly one waiter.
 *
 * <p>The lock belongs to the client's session: if the session expires, the lock is lost
 * ({@link #isHeld()} turns false) and another client may take it. A holder that sees its
 * client disconnected should stop touching the protected resource until it reconnects. One
 * instance is one lock holder; it is not reentrant and not meant for several threads at once.
 */
public final class DistributedLock {
    private final PaddockClient client;
    private final String path;
    private volatile String ownNode;

    /** @param path the lock node, such as {@code /locks/invoices}; created if missing */
    public DistributedLock(PaddockClient client, String path) {
        this.client = client;
        this.path = path;
    }

    /** Waits as long as it takes for the lock. */
    public void acquire() throws InterruptedException {
        tryAcquire(null);
    }

    /** Waits at most {@code timeout} (null: forever); returns whether the lock was taken. */
    public boolean tryAcquire(Duration timeout) throws InterruptedException {
        if (ownNode != null) {
            throw new IllegalStateException("already held: " + ownNode);
        }
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        String node = Nodes.createTagged(client, path, "lock-", null, CreateMode.EPHEMERAL_SEQUENTIAL);
        boolean held = false;
        try {
            held = waitForTurn(node, timeout == null ? Long.MAX_VALUE : deadline);
            if (held) {
                ownNode = node;
            }
            return held;
        } finally {
            if (!held) {
                deleteQuietly(node);
            }
        }
    }

    private boolean waitForTurn(String node, long deadline) throws InterruptedException {
        String own = Nodes.name(node);
        while (true) {
            List<String> sorted = Nodes.bySequence(client.getChildren(path));
            int index = sorted.indexOf(own);
            if (index < 0) {
                // Only an expired session loses its own ephemeral node.
                throw new PaddockException(ErrorCode.SESSION_EXPIRED, node);
            }
            if (index == 0) {
                return true;
            }
            String predecessor = path + "/" + sorted.get(index - 1);
            CountDownLatch latch = new CountDownLatch(1);
            Watcher watcher = event -> latch.countDown();
            // A session that ends while we wait would never fire the watch: wake up and find out.
            StateListener ended = state -> {
                if (state == KeeperState.EXPIRED || state == KeeperState.CLOSED || state == KeeperState.AUTH_FAILED) {
                    latch.countDown();
                }
            };
            client.addStateListener(ended);
            try {
                if (client.exists(predecessor, watcher) == null) {
                    continue;
                }
                if (deadline == Long.MAX_VALUE) {
                    latch.await();
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0 || !latch.await(left, TimeUnit.NANOSECONDS)) {
                        client.removeWatchAsync(predecessor, watcher, WatcherType.DATA);
                        return false;
                    }
                }
            } finally {
                client.removeStateListener(ended);
            }
        }
    }

    /** Whether this instance holds the lock (and its session is still alive). */
    public boolean isHeld() {
        return ownNode != null && client.state().isAlive();
    }

    /** Releases the lock. */
    public void release() throws InterruptedException {
        String node = ownNode;
        if (node == null) {
            throw new IllegalStateException("not held");
        }
        ownNode = null;
        deleteQuietly(node);
    }

    /** Deletes our node, retrying over connection loss; a node already gone is fine. */
    private void deleteQuietly(String node) throws InterruptedException {
        while (client.state().isAlive()) {
            try {
                client.delete(node, -1);
                return;
            } catch (PaddockException e) {
                if (e.code() == ErrorCode.NO_NODE || e.code() == ErrorCode.SESSION_EXPIRED) {
                    return;
                }
                if (e.code() != ErrorCode.CONNECTION_LOSS && e.code() != ErrorCode.REQUEST_TIMEOUT) {
                    throw e;
                }
            }
        }
    }
}
