package io.paddock.server.differential;

import java.util.ArrayList;
import java.util.List;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;

/**
 * The default watcher of one session: records every watch event (type and path) in the order
 * the client delivers them. Connection-state changes other than the first SyncConnected are
 * recorded too, because a server that drops a connection the other keeps is a difference.
 */
final class EventRecorder implements Watcher {
    private final List<String> events = new ArrayList<>();
    private volatile boolean connected;
    private volatile boolean stopped;

    @Override
    public synchronized void process(WatchedEvent event) {
        if (stopped) {
            return;
        }
        if (event.getType() == Event.EventType.None) {
            if (event.getState() == Event.KeeperState.SyncConnected && !connected) {
                connected = true;
                return;
            }
            events.add("state:" + event.getState());
            return;
        }
        events.add(event.getType() + " " + event.getPath());
    }

    boolean connected() {
        return connected;
    }

    synchronized int count() {
        return events.size();
    }

    /** Returns and forgets the events recorded so far. */
    synchronized List<String> drain() {
        List<String> out = List.copyOf(events);
        events.clear();
        return out;
    }

    /** Ignores everything from now on (the session is about to be closed on purpose). */
    void stop() {
        stopped = true;
    }
}
