package io.paddock.server.replication;

import io.paddock.server.peer.PeerAddress;
import io.paddock.server.peer.PeerSecurity;
import io.paddock.server.zab.ZabConfig;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a {@link QuorumReplicator} needs to know of the ensemble, in zoo.cfg's units.
 *
 * @param myId             this server's id
 * @param voters           the participants (their majority is a quorum)
 * @param observers        the observers
 * @param peers            every server's address, this one's included (ids = voters + observers)
 * @param tickTimeMs       tickTime
 * @param initLimit        initLimit, in ticks of tickTime: how long discovery and sync may take
 * @param syncLimit        syncLimit, in ticks of tickTime: how long a peer may stay silent once synced
 * @param commitLogCount   committed txns kept in memory to sync a learner by DIFF
 * @param bindHost         where to bind the quorum and election ports: null for this server's own host,
 *                         "0.0.0.0" for quorumListenOnAllIPs
 * @param connectTimeoutMs how long one connection attempt to a peer may take (cnxTimeout)
 * @param extendedTypes    extendedTypesEnabled (needed to load a snapshot received from the leader)
 * @param security         how the servers authenticate each other
 */
public record QuorumSettings(long myId, Set<Long> voters, Set<Long> observers, List<PeerAddress> peers,
                             int tickTimeMs, int initLimit, int syncLimit, int commitLogCount, String bindHost,
                             int connectTimeoutMs, boolean extendedTypes, PeerSecurity security) {

    /**
     * The driver's clock: one core tick every 50 ms, whatever tickTime is. The core has no clock of
     * its own, so this period is the resolution of every timeout; 50 ms keeps elections and failure
     * detection prompt (Apache's election waits 200 ms between rounds) at a negligible cost.
     */
    public static final int TICK_MS = 50;
    /** A looking server repeats its vote every 4 ticks (200 ms): lost votes are made up quickly. */
    static final int ELECTION_RETRY_TICKS = 4;
    /** Once a quorum agrees, 2 ticks (100 ms) for a better vote to arrive before deciding. */
    static final int FINALIZE_TICKS = 2;

    /** Settings without authentication between servers. */
    public QuorumSettings(long myId, Set<Long> voters, Set<Long> observers, List<PeerAddress> peers, int tickTimeMs,
            int initLimit, int syncLimit, int commitLogCount, String bindHost, int connectTimeoutMs,
            boolean extendedTypes) {
        this(myId, voters, observers, peers, tickTimeMs, initLimit, syncLimit, commitLogCount, bindHost,
                connectTimeoutMs, extendedTypes, PeerSecurity.NONE);
    }

    public QuorumSettings {
        Objects.requireNonNull(security, "security");
        voters = Set.copyOf(voters);
        observers = Set.copyOf(observers);
        peers = List.copyOf(peers);
        Set<Long> ids = new HashSet<>();
        for (PeerAddress p : peers) {
            ids.add(p.id());
        }
        Set<Long> members = new HashSet<>(voters);
        members.addAll(observers);
        if (!ids.equals(members) || ids.size() != peers.size()) {
            throw new IllegalArgumentException("peer addresses " + peers + " do not match voters " + voters
                    + " and observers " + observers);
        }
        if (tickTimeMs < 1 || initLimit < 1 || syncLimit < 1 || commitLogCount < 1 || connectTimeoutMs < 1) {
            throw new IllegalArgumentException("tickTime, initLimit, syncLimit, commitLogCount and the connect"
                    + " timeout must be positive");
        }
    }

    /** The core's configuration: zoo.cfg's limits converted to driver ticks. */
    public ZabConfig zabConfig() {
        return new ZabConfig(myId, voters, observers, toTicks((long) initLimit * tickTimeMs),
                toTicks((long) syncLimit * tickTimeMs), Math.max(1, tickTimeMs / 2 / TICK_MS), ELECTION_RETRY_TICKS,
                FINALIZE_TICKS, commitLogCount);
    }

    private static int toTicks(long ms) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, ms / TICK_MS));
    }
}
