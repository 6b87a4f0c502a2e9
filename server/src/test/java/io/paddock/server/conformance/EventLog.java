package io.paddock.server.conformance;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.Watcher.Event.EventType;
import org.apache.zookeeper.Watcher.Event.KeeperState;

/**
 * Records what a Java client delivers on its event thread: node events, connection states, and
 * markers added by async callbacks, all in one timeline so relative order can be asserted.
 */
final class EventLog implements Watcher {
    private final List<WatchedEvent> nodeEvents = new CopyOnWriteArrayList<>();
    private final List<KeeperState> states = new CopyOnWriteArrayList<>();
    private final List<String> timeline = new CopyOnWriteArrayList<>();

    @Override
    public void process(WatchedEvent event) {
        if (event.getType() == EventType.None) {
            states.add(event.getState());
            timeline.add("state " + event.getState());
        } else {
            nodeEvents.add(event);
            timeline.add(describe(event));
        }
    }

    static String describe(WatchedEvent event) {
        return event.getType() + " " + event.getPath();
    }

    /** Called from async callbacks (which run on the same event thread as watchers). */
    void mark(String marker) {
        timeline.add(marker);
    }

    /** Node events as "Type path" strings, in delivery order. */
    List<String> events() {
        return nodeEvents.stream().map(EventLog::describe).toList();
    }

    List<WatchedEvent> rawEvents() {
        return List.copyOf(nodeEvents);
    }

    List<KeeperState> states() {
        return List.copyOf(states);
    }

    List<String> timeline() {
        return List.copyOf(timeline);
    }

    void clear() {
        nodeEvents.clear();
        timeline.clear();
    }

    void awaitEvents(int count) {
        await().atMost(Duration.ofSeconds(15)).until(() -> nodeEvents.size() >= count);
    }

    void awaitState(KeeperState state) {
        await().atMost(Duration.ofSeconds(20)).until(() -> states.contains(state));
    }
}
