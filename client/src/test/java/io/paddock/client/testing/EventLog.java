package io.paddock.client.testing;

import static org.awaitility.Awaitility.await;

import io.paddock.client.WatchedEvent;
import io.paddock.client.Watcher;
import io.paddock.protocol.EventType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A watcher that remembers what it was told, for assertions. */
public final class EventLog implements Watcher {
    private final List<WatchedEvent> events = new ArrayList<>();

    @Override
    public synchronized void process(WatchedEvent event) {
        events.add(event);
    }

    public synchronized List<WatchedEvent> events() {
        return List.copyOf(events);
    }

    /** Type and path of each event, as "NODE_CREATED /a". */
    public synchronized List<String> summary() {
        return events.stream().map(e -> e.type() + " " + e.path()).toList();
    }

    public synchronized int size() {
        return events.size();
    }

    /** Waits until at least {@code n} events arrived; returns their summary. */
    public List<String> awaitCount(int n) {
        await().atMost(Duration.ofSeconds(10)).until(() -> size() >= n);
        return summary();
    }

    public static String line(EventType type, String path) {
        return type + " " + path;
    }
}
