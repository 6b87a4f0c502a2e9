package io.paddock.server.core;

import io.paddock.protocol.ConnectRequest;
import io.paddock.protocol.Record;

/** What the network and the replication step hand to the core: the inputs of {@link CoreStep}. */
public sealed interface CoreEvent {
    record Connect(Connection conn, ConnectRequest request) implements CoreEvent {
    }

    /**
     * A decoded request; {@code decodeError} is non-zero when the body could not be decoded (the
     * error is still answered in order).
     */
    record Request(Connection conn, java.util.List<io.paddock.protocol.Id> identities, int xid, int op, Record body,
                   int decodeError, long receivedNanos) implements CoreEvent {
    }

    record Disconnected(Connection conn) implements CoreEvent {
    }

    record Committed(io.paddock.server.replication.Proposal proposal) implements CoreEvent {
    }

    /** The log can no longer make writes durable; {@code lost} were proposed but their fate is unknown. */
    record StorageFailed(Throwable cause, java.util.List<io.paddock.server.replication.Proposal> lost) implements CoreEvent {
    }

    /** On a leader: the replicator wants a snapshot of the applied state for a learner. */
    record SnapshotWanted() implements CoreEvent {
    }

    /** The replicator says the server's role changed. */
    record Role(io.paddock.server.zab.ServerState state, long leader, long epoch, boolean serving) implements CoreEvent {
    }

    /** On a leader: a learner's core wrote to this one. */
    record FromLearner(long from, long link, byte[] payload) implements CoreEvent {
    }

    /** On a learner: the leader's core answered. */
    record FromLeader(byte[] payload) implements CoreEvent {
    }

    /** The state was rebuilt or replaced while not serving. */
    record Reset(io.paddock.server.txn.StateMachine state) implements CoreEvent {
    }

    record Tick() implements CoreEvent {
    }
}
