package io.paddock.server.zab;

import java.util.Set;

/**
 * The fixed facts the zab core runs on. Limits are in ticks of the driver's clock.
 *
 * @param myId               this server
 * @param voters             the servers whose majority makes a quorum (see {@link Quorum})
 * @param observers          servers that learn the history but never vote
 * @param initLimitTicks     how long discovery and synchronization may take before giving up
 * @param syncLimitTicks     how long a leader or learner may go without hearing from the other
 * @param pingTicks          how often the leader pings its learners
 * @param electionRetryTicks how often a looking server repeats its vote
 * @param finalizeTicks      how long a looking server waits, once a quorum agrees, for a better vote
 * @param commitLogCount     committed entries kept in memory to sync learners by DIFF
 */
public record ZabConfig(long myId, Set<Long> voters, Set<Long> observers, int initLimitTicks, int syncLimitTicks,
                        int pingTicks, int electionRetryTicks, int finalizeTicks, int commitLogCount) {
    public ZabConfig {
        // Sorted: the core iterates them, and its output must not depend on the JVM's set order.
        voters = java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(voters));
        observers = java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(observers));
        if (!voters.contains(myId) && !observers.contains(myId)) {
            throw new IllegalArgumentException("server " + myId + " is neither a voter nor an observer");
        }
        for (long o : observers) {
            if (voters.contains(o)) {
                throw new IllegalArgumentException("server " + o + " is both a voter and an observer");
            }
        }
        if (voters.isEmpty() || initLimitTicks < 1 || syncLimitTicks < 1 || pingTicks < 1 || electionRetryTicks < 1
                || finalizeTicks < 0 || commitLogCount < 1) {
            throw new IllegalArgumentException("bad zab configuration " + voters + " " + initLimitTicks + " "
                    + syncLimitTicks + " " + pingTicks + " " + electionRetryTicks + " " + commitLogCount);
        }
    }

    public boolean isObserver() {
        return observers.contains(myId);
    }
}
