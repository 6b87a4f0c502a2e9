package io.paddock.server.core;

import io.paddock.protocol.ConnectRequest;

/** A handshake waiting for its session: a createSession txn, or the leader's word on a re-attach. */
record PendingConnect(Connection conn, ConnectRequest request, int timeoutMs) {
}
