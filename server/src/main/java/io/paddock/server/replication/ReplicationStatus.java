package io.paddock.server.replication;

import io.paddock.server.zab.ServerState;

/**
 * A snapshot of the replication state for operators, published by the replicator after each step.
 *
 * @param standalone       a server without an ensemble
 * @param state            the server's state in the ensemble
 * @param leader           the leader's id, -1 while looking
 * @param epoch            currentEpoch
 * @param learners         on a leader: learners attached
 * @param syncedFollowers  on a leader: followers synced
 * @param syncedObservers  on a leader: observers synced
 * @param pendingSyncs     on a leader: learners being synchronized
 * @param lastElectionMs   how long the last election and synchronization took, -1 if none yet
 * @param proposalSizes    on a leader: the size in bytes of the last, smallest and largest txn proposed
 *                         (-1 each before the first), as Apache's srvr and mntr report them
 */
public record ReplicationStatus(boolean standalone, ServerState state, long leader, long epoch, int learners,
                                int syncedFollowers, int syncedObservers, int pendingSyncs, long lastElectionMs,
                                int[] proposalSizes) {
    private static final int[] NONE = {-1, -1, -1};

    public static final ReplicationStatus STANDALONE =
            new ReplicationStatus(true, ServerState.LEADING, -1, 0, 0, 0, 0, 0, -1, NONE);

    public ReplicationStatus {
        proposalSizes = proposalSizes == null ? NONE : proposalSizes.clone();
    }

    @Override
    public int[] proposalSizes() {
        return proposalSizes.clone();
    }

    /** Apache's name for the role: standalone, leader, follower, observer or looking. */
    public String mode() {
        return standalone ? "standalone" : state.mode();
    }
}
