package io.paddock.server.replication;

import io.paddock.server.txn.Txn;
import io.paddock.server.txn.TxnHeader;

/**
 * A txn on its way through replication. {@code origin} is the local request waiting for it (or
 * null when none on this server waits); replication carries it through untouched.
 */
public record Proposal(TxnHeader header, Txn txn, Object origin) {
}
