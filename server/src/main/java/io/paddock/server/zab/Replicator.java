package io.paddock.server.zab;

import java.util.function.Consumer;

/**
 * The replication step between prep and apply: takes proposals in zxid order and hands each
 * back through the commit callback once a quorum has it durable, in the same order.
 */
public interface Replicator extends AutoCloseable {
    /** Starts delivering commits to the callback (called from the replicator's threads). */
    void start(Consumer<Proposal> onCommit);

    void propose(Proposal proposal);

    @Override
    void close();
}
