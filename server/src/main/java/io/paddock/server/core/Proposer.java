package io.paddock.server.core;

import io.paddock.server.replication.Proposal;
import io.paddock.server.replication.Replicator;
import io.paddock.server.txn.Txn;
import io.paddock.server.txn.TxnHeader;

/** Numbers the txns this server proposes and hands them to the replicator. Core thread only. */
final class Proposer {
    private final Replicator replicator;
    private final Clock clock;
    private long lastProposed;

    Proposer(Replicator replicator, Clock clock, long lastZxid) {
        this.replicator = replicator;
        this.clock = clock;
        this.lastProposed = lastZxid;
    }

    /** The zxid of the last txn proposed (or applied, after a reset). */
    long last() {
        return lastProposed;
    }

    /** The zxid the next proposal will get (prep decides against it). */
    long next() {
        return lastProposed + 1;
    }

    /** Nothing proposed beyond {@code zxid} stands any more (a new role, a reset, a failed log). */
    void restartAt(long zxid) {
        lastProposed = zxid;
    }

    void propose(long sessionId, int xid, Txn txn, Object origin) {
        long zxid = ++lastProposed;
        replicator.propose(new Proposal(new TxnHeader(sessionId, xid, zxid, clock.wallMs()), txn, origin));
    }
}
