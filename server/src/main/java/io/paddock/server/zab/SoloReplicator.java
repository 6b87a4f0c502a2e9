package io.paddock.server.zab;

import java.util.function.Consumer;

/**
 * A quorum of one: a standalone server commits each proposal as soon as it is durable. With the
 * in-memory store of this stage, that is at once; the write-ahead log slots in here, before the
 * commit callback, so no reply leaves before its txn is on disk.
 */
public final class SoloReplicator implements Replicator {
    private Consumer<Proposal> onCommit;

    @Override
    public void start(Consumer<Proposal> callback) {
        this.onCommit = callback;
    }

    @Override
    public void propose(Proposal proposal) {
        assert onCommit != null : "replicator not started";
        onCommit.accept(proposal);
    }

    @Override
    public void close() {
    }
}
