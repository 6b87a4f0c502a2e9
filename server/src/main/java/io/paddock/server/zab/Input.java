package io.paddock.server.zab;

/** What the driver feeds the zab core: one at a time, each answered by a list of {@link Action}s. */
public sealed interface Input {

    /** Time passes by one tick (the driver's fixed period; the core has no clock). */
    record Tick() implements Input {
    }

    /** A message from peer {@code from}. */
    record Receive(long from, Msg msg) implements Input {
    }

    /** The transport lost its connection to {@code peer}: what was in flight to or from it may be lost. */
    record PeerDown(long peer) implements Input {
    }

    /** Every entry appended so far up to {@code zxid} is on stable storage. */
    record Persisted(long zxid) implements Input {
    }

    /** The leader's application proposes a txn (zxid assigned by it: the next one of the epoch). */
    record Propose(Entry entry) implements Input {
    }

    /** A learner's application sends a message to the leader (dropped when not synced to one). */
    record SendRequest(byte[] payload) implements Input {
    }

    /**
     * The leader's application answers learner {@code to}; the answer leaves once every txn
     * proposed before this input is committed, so the learner has applied them when it reads it.
     */
    record SendReply(long to, byte[] payload) implements Input {
    }

    /**
     * The leader's application took the snapshot asked for by {@link Action.TakeSnapshot}; it is also
     * kept on this server's disk.
     */
    record SnapshotTaken(long zxid, byte[] data) implements Input {
    }
}
