package io.paddock.server.jmx;

import io.paddock.server.Version;
import io.paddock.server.config.PeerSpec;
import io.paddock.server.config.ServerConfig;
import io.paddock.server.stats.Metrics;
import io.paddock.server.zab.ServerState;
import java.util.function.Supplier;

/**
 * The beans: each reads the last published {@link Figures} (through a supplier) and the immutable
 * configuration, so any JMX thread may call them at any time.
 */
final class Beans {
    private Beans() {
    }

    /** What every bean of one server shares. */
    record Source(ServerConfig config, Supplier<Figures> figures, Metrics metrics, int clientPort, int secureClientPort,
                  String startTime) {
        Figures now() {
            return figures.get();
        }

        PeerSpec peer(long id) {
            for (PeerSpec p : config.peers()) {
                if (p.id() == id) {
                    return p;
                }
            }
            return null;
        }
    }

    static String hex(long zxid) {
        return "0x" + Long.toHexString(zxid);
    }

    static String quorumAddress(PeerSpec p) {
        return p == null ? "" : p.host() + ":" + p.quorumPort();
    }

    static String electionAddress(PeerSpec p) {
        return p == null ? "" : p.host() + ":" + p.electionPort();
    }

    static String clientAddress(PeerSpec p) {
        return p == null || p.clientPort() < 0 ? ""
                : (p.clientAddress() == null ? "0.0.0.0" : p.clientAddress()) + ":" + p.clientPort();
    }

    /** The settings and start time that the server, quorum and local replica beans report (each some of them). */
    abstract static class Settings {
        final Source src;

        Settings(Source src) {
            this.src = src;
        }

        public String getStartTime() {
            return src.startTime();
        }

        public int getTickTime() {
            return src.config().tickTimeMs();
        }

        public int getMaxClientCnxnsPerHost() {
            return src.config().maxClientCnxns();
        }

        public int getMinSessionTimeout() {
            return src.config().minSessionTimeoutMs();
        }

        public int getMaxSessionTimeout() {
            return src.config().maxSessionTimeoutMs();
        }

        public int getMaxCnxns() {
            return src.config().maxCnxns();
        }

        public int getInitLimit() {
            return src.config().initLimit();
        }

        public int getSyncLimit() {
            return src.config().syncLimit();
        }
    }

    /** The server bean: standalone ({@code StandaloneServer_port<N>}), and the base of the role beans. */
    static class Server extends Settings implements MXBeans.ZooKeeperServerMXBean {
        Server(Source src) {
            super(src);
        }

        @Override
        public String getClientPort() {
            return Integer.toString(src.clientPort());
        }

        @Override
        public String getSecureClientPort() {
            return src.secureClientPort() < 0 ? "" : Integer.toString(src.secureClientPort());
        }

        @Override
        public String getVersion() {
            return Version.fullLine();
        }

        @Override
        public long getMinRequestLatency() {
            return src.now().minLatencyMs();
        }

        @Override
        public double getAvgRequestLatency() {
            return src.now().avgLatencyMs();
        }

        @Override
        public long getMaxRequestLatency() {
            return src.now().maxLatencyMs();
        }

        @Override
        public long getPacketsReceived() {
            return src.now().packetsReceived();
        }

        @Override
        public long getPacketsSent() {
            return src.now().packetsSent();
        }

        @Override
        public long getOutstandingRequests() {
            return src.now().outstanding();
        }

        @Override
        public long getNumAliveConnections() {
            return src.now().aliveConnections();
        }

        @Override
        public long getFsyncThresholdExceedCount() {
            return src.metrics().slowFsyncs.get();
        }

        @Override
        public long getAuthFailedCount() {
            // As mntr's auth_failed_count: Paddock does not count them yet.
            return 0;
        }

        @Override
        public int getJuteMaxBufferSize() {
            return src.config().juteMaxBuffer();
        }
    }

    static final class Leader extends Server implements MXBeans.LeaderMXBean {
        Leader(Source src) {
            super(src);
        }

        @Override
        public String getCurrentZxid() {
            return hex(src.now().lastZxid());
        }

        @Override
        public long getElectionTimeTaken() {
            return src.now().replication().lastElectionMs();
        }

        @Override
        public int getLastProposalSize() {
            return src.now().replication().proposalSizes()[0];
        }

        @Override
        public int getMinProposalSize() {
            return src.now().replication().proposalSizes()[1];
        }

        @Override
        public int getMaxProposalSize() {
            return src.now().replication().proposalSizes()[2];
        }
    }

    static final class Follower extends Server implements MXBeans.FollowerMXBean {
        Follower(Source src) {
            super(src);
        }

        @Override
        public String getQuorumAddress() {
            return quorumAddress(src.peer(src.now().replication().leader()));
        }

        @Override
        public String getLastQueuedZxid() {
            return hex(src.now().lastZxid());
        }

        @Override
        public int getPendingRevalidationCount() {
            return 0;
        }

        @Override
        public long getElectionTimeTaken() {
            return src.now().replication().lastElectionMs();
        }
    }

    static final class Observer extends Server implements MXBeans.ObserverMXBean {
        Observer(Source src) {
            super(src);
        }

        @Override
        public int getPendingRevalidationCount() {
            return 0;
        }

        @Override
        public String getQuorumAddress() {
            return quorumAddress(src.peer(src.now().replication().leader()));
        }

        @Override
        public String getLearnerMaster() {
            return getQuorumAddress();
        }
    }

    static final class Tree implements MXBeans.DataTreeMXBean {
        private final Source src;

        Tree(Source src) {
            this.src = src;
        }

        @Override
        public int getNodeCount() {
            return src.now().nodeCount();
        }

        @Override
        public String getLastZxid() {
            return hex(src.now().lastZxid());
        }

        @Override
        public int getWatchCount() {
            return src.now().watchCount();
        }

        @Override
        public long approximateDataSize() {
            return src.now().approximateDataSize();
        }

        @Override
        public int countEphemerals() {
            return src.now().ephemerals();
        }
    }

    static final class Quorum extends Settings implements MXBeans.QuorumMXBean {
        Quorum(Source src) {
            super(src);
        }

        @Override
        public String getName() {
            return Names.quorum(src.config().myId());
        }

        @Override
        public int getQuorumSize() {
            return (int) src.config().peers().stream().filter(PeerSpec::voter).count();
        }

        @Override
        public boolean isSslQuorum() {
            return src.config().quorumAuth().tls() != null;
        }

        @Override
        public boolean isPortUnification() {
            // The quorum ports speak TLS or plaintext, never both (no sslQuorum port unification).
            return false;
        }
    }

    static final class LocalPeer extends Settings implements MXBeans.LocalPeerMXBean {
        private final PeerSpec me;

        LocalPeer(Source src) {
            super(src);
            this.me = src.peer(src.config().myId());
        }

        @Override
        public String getName() {
            return Names.replica(me.id());
        }

        @Override
        public String getState() {
            return Names.state(src.now().replication().state());
        }

        @Override
        public String getQuorumAddress() {
            return quorumAddress(me);
        }

        @Override
        public int getElectionType() {
            // Apache's only election algorithm, FastLeaderElection, is type 3.
            return 3;
        }

        @Override
        public String getElectionAddress() {
            return electionAddress(me);
        }

        @Override
        public String getClientAddress() {
            String host = src.config().clientPortAddress();
            return (host == null ? "0.0.0.0" : host) + ":" + src.clientPort();
        }

        @Override
        public String getLearnerType() {
            return Names.learnerType(me);
        }

        @Override
        public long getConfigVersion() {
            // No dynamic configuration: the static one has no version.
            return 0;
        }

        @Override
        public boolean isPartOfEnsemble() {
            return true;
        }

        @Override
        public boolean isLeader() {
            return src.now().replication().state() == ServerState.LEADING;
        }
    }

    static final class RemotePeer implements MXBeans.RemotePeerMXBean {
        private final Source src;
        private final PeerSpec peer;

        RemotePeer(Source src, PeerSpec peer) {
            this.src = src;
            this.peer = peer;
        }

        @Override
        public String getName() {
            return Names.replica(peer.id());
        }

        @Override
        public String getQuorumAddress() {
            return quorumAddress(peer);
        }

        @Override
        public String getElectionAddress() {
            return electionAddress(peer);
        }

        @Override
        public String getClientAddress() {
            return clientAddress(peer);
        }

        @Override
        public String getLearnerType() {
            return Names.learnerType(peer);
        }

        @Override
        public boolean isLeader() {
            return src.now().replication().leader() == peer.id();
        }
    }
}
