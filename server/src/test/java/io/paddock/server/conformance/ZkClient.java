package io.paddock.server.conformance;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.zookeeper.ZooKeeper;

/** A real Apache ZooKeeper Java client plus the log of everything its default watcher saw. */
final class ZkClient implements AutoCloseable {
    private final ZooKeeper zk;
    private final EventLog log;

    ZkClient(ZooKeeper zk, EventLog log) {
        this.zk = zk;
        this.log = log;
    }

    ZooKeeper zk() {
        return zk;
    }

    EventLog log() {
        return log;
    }

    List<String> events() {
        return log.events();
    }

    /**
     * Waits until every notification caused by a transaction that completed before this call has
     * been delivered: the server sends those before the reply to a later request on the same
     * connection, and the client runs async callbacks on the event thread after earlier events.
     */
    void barrier() {
        AtomicBoolean done = new AtomicBoolean();
        zk.exists("/", false, (rc, path, ctx, stat) -> done.set(true), null);
        await().atMost(Duration.ofSeconds(15)).untilTrue(done);
    }

    /** Node events seen so far, after a {@link #barrier()}. */
    List<String> settledEvents() {
        barrier();
        return log.events();
    }

    @Override
    public void close() {
        try {
            zk.close(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
