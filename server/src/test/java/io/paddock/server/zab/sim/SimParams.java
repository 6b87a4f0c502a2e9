package io.paddock.server.zab.sim;

import java.util.Random;

/**
 * How one run is set up. Everything follows from the seed: each seed picks its own topology and
 * its own mix and intensity of faults (swarm testing), so that different seeds stress different
 * paths. Times are in ticks unless named otherwise; delays are in virtual time units
 * ({@link Simulator#TICK} per tick).
 *
 * @param faultTicks      length of the fault phase; then faults stop and the ensemble must recover
 * @param livenessTicks   how long recovery may take
 * @param maxDelay        message delays are uniform in 1..maxDelay units
 * @param longDelay       probability (fault phase) that a message is held up to 5 ticks more
 * @param maxDown         crashed servers at a time (a power loss ignores it)
 * @param partialFsync    probability that a crash keeps a random prefix of the volatile tail
 * @param faultEveryTicks mean time between faults
 * @param fsyncMax        fsync durations are uniform in 1..fsyncMax units
 * @param fsyncStall      probability (fault phase) that an fsync takes up to 4 ticks more
 * @param proposeEvery    mean units between leader proposals
 * @param requestEvery    mean units between learner requests
 * @param variant         a deliberately broken driver, to prove the checker fails
 * @param earlyChecks     also check durability on a quorum of voters at each commit and crash, and the
 *                        epoch files of serving voters (off: only the end-to-end invariants)
 */
record SimParams(long seed, int voters, int observers, int commitLogCount, int faultTicks, int livenessTicks,
                 int maxDelay, double longDelay, double drop, double dup, double reorder,
                 boolean crashes, boolean powerLoss, int maxDown, double partialFsync,
                 boolean partitions, boolean spuriousPeerDown, boolean pauses, int faultEveryTicks,
                 int fsyncMax, double fsyncStall, boolean compaction, int proposeEvery, int requestEvery,
                 Variant variant, boolean earlyChecks, Scenario scenario) {

    /** Broken drivers: each violates the core's persistence contract. */
    enum Variant {
        NONE,
        /** Reports Persisted right after the Append, before the fsync (which a crash then loses). */
        LYING_FSYNC
    }

    enum Scenario {
        /** Random faults for {@code faultTicks}, then none: the ensemble must recover and commit. */
        FAULTS_THEN_HEAL,
        /** No faults; after a while all voters but one crash for good: nothing may commit after. */
        MINORITY_VOTERS
    }

    static SimParams forSeed(long seed) {
        Random r = new Random(seed * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L);
        int topology = r.nextInt(3);
        int voters = topology == 1 ? 5 : 3;
        int observers = topology == 2 ? 2 : 0;
        boolean crashes = r.nextInt(10) < 8;
        int commitLogCount = 5 + r.nextInt(26);
        int faultTicks = 60 + r.nextInt(240);
        SimParams p = new SimParams(seed, voters, observers,
                commitLogCount,
                faultTicks,
                300,
                2 + r.nextInt(60),
                r.nextInt(3) == 0 ? 0.0 : r.nextDouble() * 0.05,
                r.nextInt(3) == 0 ? 0.0 : r.nextDouble() * 0.05,
                r.nextInt(3) == 0 ? 0.0 : r.nextDouble() * 0.05,
                r.nextInt(3) == 0 ? 0.0 : r.nextDouble() * 0.03,
                crashes,
                crashes && r.nextInt(3) == 0,
                1 + r.nextInt(voters + observers - 1),
                r.nextDouble() * 0.5,
                r.nextInt(10) < 7,
                r.nextInt(2) == 0,
                r.nextInt(3) == 0,
                2 + r.nextInt(20),
                1 + r.nextInt(80),
                r.nextInt(2) == 0 ? 0.0 : r.nextDouble() * 0.1,
                r.nextInt(2) == 0,
                5 + r.nextInt(80),
                20 + r.nextInt(200),
                Variant.NONE, true, Scenario.FAULTS_THEN_HEAL);
        // One seed in ten runs its faults five times longer: longer histories, more epochs and snapshots.
        return r.nextInt(10) == 0 ? p.withFaultTicks(faultTicks * 5) : p;
    }

    String topology() {
        return voters + " voters" + (observers > 0 ? " + " + observers + " observers" : "");
    }

    String faults() {
        StringBuilder b = new StringBuilder();
        b.append(String.format("%d fault ticks, fault every ~%d ticks, delay 1..%d units", faultTicks,
                faultEveryTicks, maxDelay));
        b.append(String.format(", drop %.3f dup %.3f reorder %.3f long delay %.3f", drop, dup, reorder, longDelay));
        if (crashes) {
            b.append(String.format(", crashes (max %d down, partial fsync %.2f)%s", maxDown, partialFsync,
                    powerLoss ? ", power loss" : ""));
        }
        b.append(partitions ? ", partitions" : "").append(spuriousPeerDown ? ", spurious peer-down" : "")
                .append(pauses ? ", pauses" : "").append(compaction ? ", compaction" : "");
        b.append(String.format(", fsync 1..%d stall %.2f, commitLogCount %d, propose ~%d, request ~%d", fsyncMax,
                fsyncStall, commitLogCount, proposeEvery, requestEvery));
        if (variant != Variant.NONE) {
            b.append(", BROKEN DRIVER ").append(variant);
        }
        if (!earlyChecks) {
            b.append(", end-to-end checks only");
        }
        if (scenario != Scenario.FAULTS_THEN_HEAL) {
            b.append(", scenario ").append(scenario);
        }
        return b.toString();
    }

    SimParams withFaultTicks(int ticks) {
        return new SimParams(seed, voters, observers, commitLogCount, ticks, livenessTicks, maxDelay, longDelay,
                drop, dup, reorder, crashes, powerLoss, maxDown, partialFsync, partitions, spuriousPeerDown, pauses,
                faultEveryTicks, fsyncMax, fsyncStall, compaction, proposeEvery, requestEvery, variant, earlyChecks,
                scenario);
    }

    SimParams with(Variant v, boolean early) {
        return new SimParams(seed, voters, observers, commitLogCount, faultTicks, livenessTicks, maxDelay, longDelay,
                drop, dup, reorder, crashes, powerLoss, maxDown, partialFsync, partitions, spuriousPeerDown, pauses,
                faultEveryTicks, fsyncMax, fsyncStall, compaction, proposeEvery, requestEvery, v, early, scenario);
    }

    /** Crash-heavy: frequent crashes and power losses with slow fsyncs and no partial fsync. */
    SimParams crashHeavy() {
        return new SimParams(seed, voters, observers, commitLogCount, faultTicks, livenessTicks, maxDelay, longDelay,
                drop, dup, reorder, true, true, voters + observers - 1, 0.0, partitions, spuriousPeerDown, pauses,
                Math.min(faultEveryTicks, 6), Math.max(fsyncMax, 150), fsyncStall, compaction, proposeEvery,
                requestEvery, variant, earlyChecks, scenario);
    }

    SimParams minorityVoters() {
        return new SimParams(seed, 3, 2, commitLogCount, 100, livenessTicks, maxDelay, 0, 0, 0, 0, false, false, 0,
                0, false, false, false, faultEveryTicks, fsyncMax, 0, compaction, proposeEvery, requestEvery,
                variant, earlyChecks, Scenario.MINORITY_VOTERS);
    }
}
