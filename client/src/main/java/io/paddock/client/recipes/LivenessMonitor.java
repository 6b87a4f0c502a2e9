package io.paddock.client.recipes;

import io.paddock.client.PaddockClient;
import java.util.Set;
import java.util.TreeSet;

/**
 * Follows the members of a group of {@link Heartbeat}s and reports who joins and who leaves.
 * The listener runs on the client's event thread.
 */
public final class LivenessMonitor implements AutoCloseable {

    /** Told about membership changes. */
    public interface Listener {
        void joined(String member);

        void left(String member);
    }

    private final ChildrenCache cache;
    private final Listener listener;
    private Set<String> alive = Set.of();

    public LivenessMonitor(PaddockClient client, String groupPath, Listener listener) {
        this.listener = listener;
        this.cache = new ChildrenCache(client, groupPath, this::changed);
    }

    /** Loads the current members (reported as joined) and starts following. */
    public LivenessMonitor start() throws InterruptedException {
        cache.start();
        changed();
        return this;
    }

    /** The members alive as of the last change the server reported. */
    public synchronized Set<String> alive() {
        return alive;
    }

    private synchronized void changed() {
        Set<String> now = new TreeSet<>(cache.snapshot().keySet());
        Set<String> before = alive;
        if (now.equals(before)) {
            return;
        }
        alive = Set.copyOf(now);
        for (String m : now) {
            if (!before.contains(m) && listener != null) {
                listener.joined(m);
            }
        }
        for (String m : before) {
            if (!now.contains(m) && listener != null) {
                listener.left(m);
            }
        }
    }

    @Override
    public void close() {
        cache.close();
    }
}
