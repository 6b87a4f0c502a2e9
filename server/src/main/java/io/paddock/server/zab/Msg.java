package io.paddock.server.zab;

/**
 * The messages servers exchange. {@link Vote}s travel on the election port; everything else is a
 * {@link Link} message between a learner (follower or observer) and its leader on the quorum port.
 *
 * <p>A link is one learner's attachment to one leader: the learner names it ({@code link}, unique
 * per learner incarnation) in its FOLLOWERINFO, and both sides number their messages on it from 1
 * ({@code seq}). A message of another link is stale and ignored; a duplicate is ignored; a gap
 * (a lost message) breaks the link, as a reset TCP connection would. This is what lets the core run
 * safely over a network that drops, duplicates and reorders.
 */
public sealed interface Msg {

    /**
     * An election notification: the sender's current choice of leader with that candidate's
     * last zxid and epoch, the sender's election round, and the sender's own state and epoch.
     */
    record Vote(long leader, long zxid, long peerEpoch, long round, ServerState state) implements Msg {
    }

    /** A message on a learner-leader link. */
    record Link(long link, long seq, Body body) implements Msg {
    }

    /** What a link message says. */
    sealed interface Body {
    }

    /** Learner to leader, first message of a link: who I am and how far my history goes. */
    record FollowerInfo(long acceptedEpoch, long currentEpoch, long lastZxid, boolean observer) implements Body {
    }

    /** Leader to learner: the epoch the leader will lead. */
    record LeaderInfo(long epoch) implements Body {
    }

    /**
     * Learner to leader: the epoch is accepted (and durable); my history for the leader to compare,
     * and the zxid of my newest snapshot, below which I cannot truncate (the leader sends SNAP instead).
     */
    record AckEpoch(long currentEpoch, long lastZxid, long snapshotZxid) implements Body {
    }

    /** Leader to learner: sync by sending the txns after the learner's last zxid. */
    record Diff(long fromZxid) implements Body {
    }

    /** Leader to learner: drop every logged txn after {@code zxid}, then take the txns that follow. */
    record Trunc(long zxid) implements Body {
    }

    /** Leader to learner: replace everything with this snapshot (at {@code zxid}). */
    record Snap(long zxid, byte[] data) implements Body {
        @Override
        public String toString() {
            return "Snap[" + Zxid.hex(zxid) + ", " + data.length + " bytes]";
        }
    }

    /** Leader to follower: log this txn and acknowledge it once durable. */
    record Propose(Entry entry) implements Body {
    }

    /** Leader to follower: every txn up to {@code zxid} is committed. */
    record Commit(long zxid) implements Body {
    }

    /** Leader to observer: a committed txn (an observer gets only committed ones). */
    record Inform(Entry entry) implements Body {
    }

    /** Leader to learner: the sync stream is complete; adopt {@code epoch} once it is all durable. */
    record NewLeader(long epoch) implements Body {
    }

    /** Learner to leader: everything of the sync stream is durable and currentEpoch is persisted. */
    record AckNewLeader(long epoch) implements Body {
    }

    /** Follower to leader: every txn up to {@code zxid} is durable here. */
    record Ack(long zxid) implements Body {
    }

    /** Leader to learner: the leader is established and the learner synced; serve clients. */
    record UpToDate() implements Body {
    }

    /** Liveness, both ways. */
    record Ping() implements Body {
    }

    /** Learner to leader: an application message (a forwarded client request, session activity). */
    record Request(byte[] payload) implements Body {
        @Override
        public String toString() {
            return "Request[" + payload.length + " bytes]";
        }
    }

    /** Leader to learner: an application answer, sent once what the leader had proposed before is committed. */
    record Reply(byte[] payload) implements Body {
        @Override
        public String toString() {
            return "Reply[" + payload.length + " bytes]";
        }
    }
}
