package io.paddock.client;

import io.paddock.protocol.EventType;
import io.paddock.protocol.KeeperState;

/**
 * One event delivered to a {@link Watcher}. Node events carry the node's path as the client
 * sees it (chroot removed) and state {@link KeeperState#SYNC_CONNECTED}; session state events
 * have type {@link EventType#NONE} and a null path.
 */
public record WatchedEvent(EventType type, KeeperState state, String path) {

    static WatchedEvent node(EventType type, String path) {
        return new WatchedEvent(type, KeeperState.SYNC_CONNECTED, path);
    }

    static WatchedEvent state(KeeperState state) {
        return new WatchedEvent(EventType.NONE, state, null);
    }
}
