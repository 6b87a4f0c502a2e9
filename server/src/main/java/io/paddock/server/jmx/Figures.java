package io.paddock.server.jmx;

import io.paddock.server.core.Core;
import io.paddock.server.replication.ReplicationStatus;
import io.paddock.server.stats.ServerStats;
import io.paddock.server.tree.DataTree;

/**
 * What the beans report, taken together on the core thread (one consistent view) and published
 * for the JMX threads to read: no bean ever reaches into a structure the core thread owns.
 *
 * @param replication the role, leader, epoch and proposal figures
 * @param nodeCount   znodes, counted as Apache's {@code znode_count} (the root twice)
 * @param lastZxid    the zxid of the last applied txn
 */
public record Figures(ReplicationStatus replication, int nodeCount, int watchCount, long lastZxid, int ephemerals,
                      long approximateDataSize, long minLatencyMs, double avgLatencyMs, long maxLatencyMs,
                      long packetsReceived, long packetsSent, long outstanding, int aliveConnections) {

    /** Nothing published yet. */
    static final Figures NONE = new Figures(ReplicationStatus.STANDALONE, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** Reads the figures; core thread only. */
    public static Figures of(Core c, ServerStats stats) {
        DataTree tree = c.stateMachine().tree();
        return new Figures(c.replication(), tree.nodeCount() + 1, c.stateMachine().watches().watchCount(),
                c.stateMachine().lastZxid(), tree.ephemeralCount(), tree.approximateDataSize(), stats.minLatencyMs(),
                stats.avgLatencyMs(), stats.maxLatencyMs(), stats.packetsReceived(), stats.packetsSent(),
                io.paddock.server.commands.MonitorFigures.outstanding(c), c.connections().size());
    }
}
