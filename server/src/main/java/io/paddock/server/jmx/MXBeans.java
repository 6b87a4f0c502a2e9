package io.paddock.server.jmx;

/**
 * The JMX interfaces, named as Apache ZooKeeper's so that their attributes (a getter {@code getX}
 * or {@code isX} is the attribute {@code X}) match what jmx_exporter rules and dashboards written
 * for Apache scrape. Read-only: Apache's setters change live settings, which Paddock keeps
 * immutable. Each figure is read from the last published {@link Figures} or from the configuration.
 */
public final class MXBeans {
    private MXBeans() {
    }

    /** A server that serves clients: standalone, or the role bean of an ensemble member. */
    public interface ZooKeeperServerMXBean {
        String getClientPort();

        String getSecureClientPort();

        String getVersion();

        String getStartTime();

        long getMinRequestLatency();

        double getAvgRequestLatency();

        long getMaxRequestLatency();

        long getPacketsReceived();

        long getPacketsSent();

        long getOutstandingRequests();

        long getNumAliveConnections();

        long getFsyncThresholdExceedCount();

        long getAuthFailedCount();

        int getTickTime();

        int getMaxClientCnxnsPerHost();

        int getMinSessionTimeout();

        int getMaxSessionTimeout();

        int getMaxCnxns();

        int getJuteMaxBufferSize();
    }

    /** The znode tree ({@code InMemoryDataTree}). */
    public interface DataTreeMXBean {
        int getNodeCount();

        String getLastZxid();

        int getWatchCount();

        long approximateDataSize();

        int countEphemerals();
    }

    /** The leader's role bean. */
    public interface LeaderMXBean extends ZooKeeperServerMXBean {
        String getCurrentZxid();

        long getElectionTimeTaken();

        int getLastProposalSize();

        int getMinProposalSize();

        int getMaxProposalSize();
    }

    /** A follower's role bean. */
    public interface FollowerMXBean extends ZooKeeperServerMXBean {
        String getQuorumAddress();

        String getLastQueuedZxid();

        int getPendingRevalidationCount();

        long getElectionTimeTaken();
    }

    /** An observer's role bean. */
    public interface ObserverMXBean extends ZooKeeperServerMXBean {
        int getPendingRevalidationCount();

        String getQuorumAddress();

        String getLearnerMaster();
    }

    /** The ensemble member ({@code ReplicatedServer_id<N>}). */
    public interface QuorumMXBean {
        String getName();

        int getQuorumSize();

        int getInitLimit();

        int getSyncLimit();

        boolean isSslQuorum();

        boolean isPortUnification();
    }

    /** This member as a replica ({@code replica.<N>}). */
    public interface LocalPeerMXBean {
        String getName();

        String getStartTime();

        int getTickTime();

        int getMaxClientCnxnsPerHost();

        int getMinSessionTimeout();

        int getMaxSessionTimeout();

        int getInitLimit();

        int getSyncLimit();

        String getState();

        String getQuorumAddress();

        int getElectionType();

        String getElectionAddress();

        String getClientAddress();

        String getLearnerType();

        long getConfigVersion();

        boolean isPartOfEnsemble();

        boolean isLeader();

        int getMaxCnxns();
    }

    /** Another member of the ensemble, as this one sees it. */
    public interface RemotePeerMXBean {
        String getName();

        String getQuorumAddress();

        String getElectionAddress();

        String getClientAddress();

        String getLearnerType();

        boolean isLeader();
    }
}
