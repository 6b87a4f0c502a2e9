package io.paddock.client.recipes;

import io.paddock.client.PaddockClient;
import io.paddock.client.PaddockException;
import io.paddock.client.StateListener;
import io.paddock.client.WatchedEvent;
import io.paddock.client.Watcher;
import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.EventType;
import io.paddock.protocol.KeeperState;
import io.paddock.protocol.WatcherType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A live copy of a node's children and their data, for children whose data does not change
 * after creation (registrations, heartbeats). A child watch triggers a re-read of the list;
 * only new children have their data read. Re-reads after every reconnect, in case a read failed
 * for lack of a connection. {@code onChange} runs on the client's event thread.
 */
final class ChildrenCache implements AutoCloseable {
    private final PaddockClient client;
    private final String path;
    private final Runnable onChange;
    private final Watcher watcher = this::onEvent;
    private final StateListener reconnect = this::onState;
    private final Map<String, byte[]> children = new HashMap<>();
    private volatile boolean closed;

    ChildrenCache(PaddockClient client, String path, Runnable onChange) {
        this.client = client;
        this.path = path;
        this.onChange = onChange;
    }

    void start() throws InterruptedException {
        client.addStateListener(reconnect);
        refresh();
    }

    /** Child name to data, in name order. */
    synchronized Map<String, byte[]> snapshot() {
        return new TreeMap<>(children);
    }

    private void onEvent(WatchedEvent event) {
        if (closed || event.type() == EventType.NONE) {
            return;
        }
        refreshQuietly();
    }

    private void onState(KeeperState state) {
        if (state == KeeperState.SYNC_CONNECTED && !closed) {
            refreshQuietly();
        }
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (PaddockException e) {
            // No connection now: the reconnect listener reads again.
        }
    }

    private void refresh() throws InterruptedException {
        boolean changed = false;
        synchronized (this) {
            if (closed) {
                return;
            }
            List<String> names;
            try {
                names = client.getChildren(path, watcher);
            } catch (PaddockException e) {
                if (e.code() != ErrorCode.NO_NODE) {
                    throw e;
                }
                // No parent yet: wait for it to be created.
                if (client.exists(path, watcher) != null) {
                    refresh();
                    return;
                }
                names = List.of();
            }
            changed |= children.keySet().retainAll(names);
            for (String name : names) {
                if (children.containsKey(name)) {
                    continue;
                }
                try {
                    byte[] data = client.getData(path + "/" + name).data();
                    children.put(name, data == null ? new byte[0] : data);
                    changed = true;
                } catch (PaddockException e) {
                    if (e.code() != ErrorCode.NO_NODE) {
                        throw e;
                    }
                }
            }
        }
        if (changed) {
            onChange.run();
        }
    }

    @Override
    public void close() {
        closed = true;
        client.removeStateListener(reconnect);
        try {
            client.removeWatchAsync(path, watcher, WatcherType.ANY);
        } catch (RuntimeException e) {
            // Nothing left to remove.
        }
    }
}
