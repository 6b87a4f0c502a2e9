package io.paddock.server.replication;

import io.paddock.server.txn.StateMachine;
import io.paddock.server.zab.ServerState;
import java.util.List;

/**
 * The replication step between prep and apply: takes proposals in zxid order and hands each
 * back, committed, in the same order. Standalone it is the server's own log (a quorum of one); in
 * an ensemble it is Zab. Every listener call comes from the replicator's own threads, in order.
 */
public interface Replicator extends AutoCloseable {

    /** What the replicator tells the core. */
    interface Listener {
        /** A txn is committed: apply it (in zxid order, each once). */
        void committed(Proposal proposal);

        /**
         * Proposals can no longer be made durable (the log failed); {@code lost} were proposed but
         * their fate is unknown. Reported once; everything proposed after is dropped.
         */
        void failed(Throwable cause, List<Proposal> lost);

        /**
         * The server's role changed; {@code serving} says whether it may serve clients. A leader
         * that starts serving proposes zxids from {@code Zxid.make(epoch, 1)}.
         */
        default void roleChanged(ServerState state, long leader, long epoch, boolean serving) {
        }

        /**
         * On a leader: a message from a learner's core (a forwarded request, session activity), that
         * came through {@code link}: answers go back through the same link.
         */
        default void requestReceived(long from, long link, byte[] payload) {
        }

        /** On a learner: the leader's core answered. */
        default void replyReceived(byte[] payload) {
        }

        /**
         * The state was rebuilt from disk or replaced by a leader's snapshot while not serving:
         * continue from this one (the next commit follows its last zxid).
         */
        default void reset(StateMachine state) {
        }

        /** On a leader: a snapshot of the applied state is wanted (answer with {@link #snapshotTaken}). */
        default void snapshotWanted() {
        }
    }

    /** Starts delivering to the listener. */
    void start(Listener listener);

    void propose(Proposal proposal);

    /** Starts a new log segment at the next proposal (called when a snapshot begins). */
    void rollLog();

    /** On a learner: sends a message to the leader's core (dropped when not synced to a leader). */
    default void forward(byte[] payload) {
        throw new UnsupportedOperationException("a standalone server forwards nothing");
    }

    /**
     * On a leader: answers learner {@code to} through {@code link} once everything proposed so far
     * is committed (nothing is sent if the learner has reconnected since).
     */
    default void reply(long to, long link, byte[] payload) {
        throw new UnsupportedOperationException("a standalone server has no learners");
    }

    /** On a leader: the snapshot asked for by {@link Listener#snapshotWanted()}, written at {@code zxid}. */
    default void snapshotTaken(long zxid, java.nio.file.Path file) {
    }

    /** What operators see of replication (four-letter words, admin). */
    default ReplicationStatus status() {
        return ReplicationStatus.STANDALONE;
    }

    @Override
    void close();
}
