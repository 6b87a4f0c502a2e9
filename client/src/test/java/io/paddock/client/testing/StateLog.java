package io.paddock.client.testing;

import static org.awaitility.Awaitility.await;

import io.paddock.client.StateListener;
import io.paddock.protocol.KeeperState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Records the session state changes a client reports. */
public final class StateLog implements StateListener {
    private final List<KeeperState> states = new ArrayList<>();

    @Override
    public synchronized void stateChanged(KeeperState state) {
        states.add(state);
    }

    public synchronized List<KeeperState> states() {
        return List.copyOf(states);
    }

    public synchronized int count(KeeperState state) {
        return (int) states.stream().filter(s -> s == state).count();
    }

    /** Waits until {@code state} has been reported {@code times} times in all. */
    public void awaitCount(KeeperState state, int times, Duration atMost) {
        await().atMost(atMost).until(() -> count(state) >= times);
    }
}
