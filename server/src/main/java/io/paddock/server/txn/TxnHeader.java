package io.paddock.server.txn;

/**
 * Who asked for a txn and when: the session, its request xid, the zxid the leader assigned and
 * the leader's clock in ms (the only time the state machine ever uses).
 */
public record TxnHeader(long sessionId, int cxid, long zxid, long timeMs) {
}
