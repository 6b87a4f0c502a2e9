package io.paddock.server.zab;

import java.util.List;

/**
 * What the zab core asks its driver to do. The driver carries out a step's actions in list order,
 * and that order is the persistence contract:
 * <ul>
 *   <li>{@link PersistEpochs}, {@link TruncateLog} and {@link InstallSnapshot} are synchronous: they
 *       are durable before the driver looks at the next action;</li>
 *   <li>{@link Append} is asynchronous: the entry is durable only once the driver reports
 *       {@link Input.Persisted} for its zxid, and the core emits nothing that claims durability
 *       (ACK, ACKNEWLEADER, a leader's own commit) before that input;</li>
 *   <li>{@link Send} may leave at once;</li>
 *   <li>{@link Deliver} hands committed txns to the state machine in zxid order; a txn is
 *       delivered once only, after every earlier one.</li>
 * </ul>
 */
public sealed interface Action {

    /** Write the epoch files (a value of -1 leaves that file as it is), with fsync. */
    record PersistEpochs(long acceptedEpoch, long currentEpoch) implements Action {
    }

    /**
     * Remove every logged entry after {@code zxid} (durable or not). If the state machine has
     * applied beyond it (txns replayed from the log at start-up), the driver rebuilds it from disk.
     */
    record TruncateLog(long zxid) implements Action {
    }

    /** Replace the state machine and the log with this snapshot; the log continues after {@code zxid}. */
    record InstallSnapshot(long zxid, byte[] data) implements Action {
    }

    /**
     * Append to the log; report durability with {@link Input.Persisted}. A report covers only appends
     * made after the latest {@link TruncateLog} or {@link InstallSnapshot}: the driver completes or
     * forgets earlier pending ones before carrying those out.
     */
    record Append(Entry entry) implements Action {
    }

    /** Send a message to a peer. */
    record Send(long to, Msg msg) implements Action {
    }

    /** Apply these committed entries, in order. */
    record Deliver(List<Entry> entries) implements Action {
    }

    /**
     * Leader only: take a snapshot of the applied state (it includes at least everything delivered
     * so far) and hand it back with {@link Input.SnapshotTaken}.
     */
    record TakeSnapshot() implements Action {
    }

    /** On a leader: a learner's application message. */
    record RequestReceived(long from, byte[] payload) implements Action {
    }

    /** On a learner: the leader's answer to an earlier request. */
    record ReplyReceived(byte[] payload) implements Action {
    }

    /**
     * The server's role changed. {@code serving} is true once it may serve clients: a leader that is
     * established, or a learner that is synced (UPTODATE). A leader proposes zxids from
     * {@code Zxid.make(epoch, 1)} on.
     */
    record RoleChanged(ServerState state, long leader, long epoch, boolean serving) implements Action {
    }
}
