package io.paddock.client;

import io.paddock.protocol.KeeperState;

/**
 * Told about every session state change: {@code SYNC_CONNECTED}, {@code CONNECTED_READ_ONLY},
 * {@code DISCONNECTED}, {@code EXPIRED}, {@code AUTH_FAILED} and {@code CLOSED}. Runs on the
 * event thread, in order with watch events.
 */
@FunctionalInterface
public interface StateListener {
    void stateChanged(KeeperState state);
}
