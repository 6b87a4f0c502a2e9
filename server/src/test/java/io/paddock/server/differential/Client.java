package io.paddock.server.differential;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooKeeper;
import org.awaitility.Awaitility;

/** One session of the Apache Java client, with the recorder that is its default watcher. */
final class Client implements AutoCloseable {
    static final int SESSION_TIMEOUT_MS = 15_000;
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final int sessionNumber;
    private final ZooKeeper zk;
    private final EventRecorder events;

    private Client(int sessionNumber, ZooKeeper zk, EventRecorder events) {
        this.sessionNumber = sessionNumber;
        this.zk = zk;
        this.events = events;
    }

    /** Connects, waits for the session, then authenticates with each "user:password" digest credential. */
    static Client open(String connectString, int sessionNumber, List<String> digestCredentials) throws Exception {
        EventRecorder events = new EventRecorder();
        ZooKeeper zk = new ZooKeeper(connectString, SESSION_TIMEOUT_MS, events);
        try {
            Awaitility.await("session " + sessionNumber + " connects").atMost(WAIT).until(events::connected);
            for (String credential : digestCredentials) {
                zk.addAuthInfo("digest", credential.getBytes(StandardCharsets.UTF_8));
            }
            return new Client(sessionNumber, zk, events);
        } catch (RuntimeException e) {
            zk.close();
            throw e;
        }
    }

    int sessionNumber() {
        return sessionNumber;
    }

    ZooKeeper zk() {
        return zk;
    }

    EventRecorder events() {
        return events;
    }

    /**
     * Waits until every event the server sent before now has reached the recorder: the callback
     * of an async sync is delivered on the client's event thread after all earlier events.
     */
    void barrier() throws Exception {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        zk.sync("/", (rc, path, ctx) -> done.complete(rc), null);
        int rc = done.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (rc != 0) {
            throw KeeperException.create(KeeperException.Code.get(rc), "/");
        }
    }

    @Override
    public void close() throws InterruptedException {
        events.stop();
        zk.close();
    }
}
