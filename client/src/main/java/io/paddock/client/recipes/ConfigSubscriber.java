package io.paddock.client.recipes;

import io.paddock.client.NodeData;
import io.paddock.client.PaddockClient;
import io.paddock.client.PaddockException;
import io.paddock.client.StateListener;
import io.paddock.client.WatchedEvent;
import io.paddock.client.Watcher;
import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.EventType;
import io.paddock.protocol.KeeperState;
import io.paddock.protocol.Stat;
import io.paddock.protocol.WatcherType;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Keeps a local copy of one node's data current. A one-shot watch is re-armed on every read,
 * so each change leads to a fresh read; the client's watch re-registration after a reconnect
 * makes sure a change made while disconnected is not missed. The listener runs on the client's
 * event thread with the new value (null while the node does not exist).
 */
public final class ConfigSubscriber implements AutoCloseable {
    private final PaddockClient client;
    private final String path;
    private final Consumer<byte[]> listener;
    private final Watcher watcher = this::onEvent;
    private final StateListener reconnect = this::onState;
    private volatile byte[] current;
    private volatile long mzxid = -1;
    private volatile boolean closed;

    /** @param listener told of every new value; may be null */
    public ConfigSubscriber(PaddockClient client, String path, Consumer<byte[]> listener) {
        this.client = client;
        this.path = path;
        this.listener = listener;
    }

    /** Reads the current value and starts following changes. */
    public void start() throws InterruptedException {
        client.addStateListener(reconnect);
        refresh();
    }

    /** The latest value seen, or null if the node does not exist. */
    public byte[] current() {
        byte[] value = current;
        return value == null ? null : value.clone();
    }

    private void onEvent(WatchedEvent event) {
        if (closed || event.type() == EventType.NONE || event.type().code() > EventType.NODE_CHILDREN_CHANGED.code()) {
            return;
        }
        try {
            refresh();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (PaddockException e) {
            // Connection trouble: the reconnect listener reads again.
        }
    }

    /** A read that failed for lack of a connection left no watch behind: read again. */
    private void onState(KeeperState state) {
        if (state == KeeperState.SYNC_CONNECTED && !closed) {
            onEvent(new WatchedEvent(EventType.NODE_DATA_CHANGED, state, path));
        }
    }

    private synchronized void refresh() throws InterruptedException {
        while (!closed) {
            Stat stat = client.exists(path, watcher);
            if (stat == null) {
                update(null, 0);
                return;
            }
            try {
                NodeData data = client.getData(path, watcher);
                update(data.data(), data.stat().mzxid());
                return;
            } catch (PaddockException e) {
                if (e.code() != ErrorCode.NO_NODE) {
                    throw e;
                }
                // Deleted between the two reads: look again.
            }
        }
    }

    private void update(byte[] value, long newMzxid) {
        boolean changed = newMzxid != mzxid || !Arrays.equals(value, current);
        current = value;
        mzxid = newMzxid;
        if (changed && listener != null) {
            listener.accept(value == null ? null : value.clone());
        }
    }

    /** Stops following the node. */
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
