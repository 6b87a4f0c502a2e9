package io.paddock.server.zab;

import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The replication step between prep and apply: takes proposals in zxid order and hands each
 * back through the commit callback once a quorum has it durable, in the same order. If it can no
 * longer make proposals durable, it reports the failure once, with every proposal whose fate is
 * unknown, and drops everything proposed after.
 */
public interface Replicator extends AutoCloseable {
    /** Starts delivering commits and failures to the callbacks (called from the replicator's threads). */
    void start(Consumer<Proposal> onCommit, BiConsumer<Throwable, List<Proposal>> onFailure);

    void propose(Proposal proposal);

    /** Starts a new log segment at the next proposal (called when a snapshot begins). */
    void rollLog();

    @Override
    void close();
}
