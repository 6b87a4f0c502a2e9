package io.paddock.server.zab.sim;

import io.paddock.server.zab.Msg;

/** Something that happens at a point of virtual time. */
sealed interface Event {

    /** An event for one server incarnation: a crash voids it, a pause postpones it. */
    sealed interface ForNode extends Event {
        int node();

        long inc();
    }

    record Tick(int node, long inc) implements ForNode {
    }

    record Arrival(int from, int node, long inc, long gen, Msg msg) implements ForNode {
    }

    /** The fsync started when the server's writes were numbered up to {@code upToWrite} completes. */
    record FsyncDone(int node, long inc, long gen, long upToWrite) implements ForNode {
    }

    /** The broken driver variant: claims durability at once. */
    record LyingPersisted(int node, long inc, long zxid) implements ForNode {
    }

    record SnapshotDue(int node, long inc) implements ForNode {
    }

    record PeerDown(int node, long inc, long peer) implements ForNode {
    }

    record AppReply(int node, long inc, long to, long link, byte[] request) implements ForNode {
    }

    record Compact(int node, long inc) implements ForNode {
    }

    record Restart(int node, long inc) implements Event {
    }

    record Propose() implements Event {
    }

    record Request() implements Event {
    }

    record Fault() implements Event {
    }

    record HealPartition(long partition) implements Event {
    }

    record EndFaults() implements Event {
    }

    record MinorityCrash() implements Event {
    }

    record End() implements Event {
    }
}
