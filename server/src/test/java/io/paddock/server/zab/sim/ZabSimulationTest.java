package io.paddock.server.zab.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The zab core under the deterministic simulation: many seeds of random faults, each followed by
 * a healing phase that must end with every server synced and committing. A failure names the
 * broken invariant, the seed and the command that replays it with the full trace.
 *
 * <p>{@code -Dzab.sim.seeds=N} runs N seeds (from {@code -Dzab.sim.firstSeed}, default 1);
 * {@code -Dzab.sim.seed=S} replays seed S alone, printing every event.
 */
class ZabSimulationTest {
    private static final int DEFAULT_SEEDS = 20_000;
    private static final int MAX_REPORTED = Integer.getInteger("zab.sim.maxFailures", 5);

    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void seeds() {
        String one = System.getProperty("zab.sim.seed");
        if (one != null && !one.isBlank()) {
            long seed = Long.parseLong(one.trim());
            SimParams p = SimParams.forSeed(seed);
            System.out.println("seed " + seed + ": " + p.topology() + "; " + p.faults());
            Simulator.Result r = new Simulator(p, SimCore.real(), true, System.out).run();
            System.out.println(summary(List.of(r)) + String.format("%ntrace hash %016x", r.traceHash()));
            return;
        }
        int count = Integer.getInteger("zab.sim.seeds", DEFAULT_SEEDS);
        long first = Long.getLong("zab.sim.firstSeed", 1L);
        List<Simulator.Result> results = new ArrayList<>();
        List<SimulationFailure> failures = new ArrayList<>();
        for (long seed = first; seed < first + count && failures.size() < MAX_REPORTED; seed++) {
            try {
                results.add(Simulator.run(SimParams.forSeed(seed)));
            } catch (SimulationFailure f) {
                failures.add(f);
            }
        }
        System.out.println(summary(results));
        if (!failures.isEmpty()) {
            StringBuilder b = new StringBuilder(failures.size() + " failing seed(s)"
                    + (failures.size() == MAX_REPORTED ? " (stopped looking)" : "") + ":\n");
            for (SimulationFailure f : failures) {
                String headline = f.getMessage().lines().findFirst().orElse("");
                b.append("  seed ").append(f.seed).append(": ").append(headline).append('\n');
            }
            b.append("replay one: ").append(Simulator.replayCommand(failures.get(0).seed)).append('\n');
            b.append("\nfirst failure:\n").append(failures.get(0).getMessage());
            fail(b.toString(), failures.get(0));
        }
        if (count >= 200) {
            TreeMap<String, Long> sent = sent(results);
            for (String kind : List.of("Diff", "Trunc", "Snap", "Inform", "Reply", "UpToDate")) {
                assertTrue(sent.getOrDefault(kind, 0L) > 0, "no " + kind + " sent in " + count + " seeds: " + sent);
            }
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void sameSeedSameTrace() {
        for (long seed = 1; seed <= 8; seed++) {
            assertEquals(outcome(seed), outcome(seed), "seed " + seed + " ran differently the second time");
        }
    }

    /** How a run ended (passed or which invariant broke) and the hash of its whole trace. */
    private static String outcome(long seed) {
        try {
            Simulator.Result r = new Simulator(SimParams.forSeed(seed), SimCore.real(), true, null).run();
            return String.format("passed after %d steps, trace %016x", r.steps(), r.traceHash());
        } catch (SimulationFailure f) {
            return String.format("'%s' broken, trace %016x", f.invariant, f.traceHash);
        }
    }

    /**
     * The checker can fail: a driver that reports Persisted before the fsync lets the leader commit
     * what a crash then erases. Only the end-to-end invariants are on, so this is caught by what
     * clients would see (a committed txn lost or replaced), not by the durability bookkeeping.
     */
    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void lyingFsyncLosesCommittedTxnsAndIsCaught() {
        SimulationFailure caught = caughtOnlyWhenBroken(false);
        assertTrue(Set.of("leader-has-committed", "committed-prefix", "no-truncate-committed")
                .contains(caught.invariant), caught.getMessage());
    }

    /** With the durability bookkeeping on, the same broken driver is caught at the commit that is not yet durable. */
    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void lyingFsyncIsCaughtAtTheUnsafeCommit() {
        SimulationFailure caught = caughtOnlyWhenBroken(true);
        assertEquals("committed-durable", caught.invariant, caught.getMessage());
    }

    /** 3 voters + 2 observers with 2 voters down for good: the rest must not commit anything. */
    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void observersNeverMakeAQuorum() {
        int committedBefore = 0;
        for (long seed = 1; seed <= 40; seed++) {
            Simulator.Result r = Simulator.run(SimParams.forSeed(seed).minorityVoters());
            if (r.committedAtMinority() > 0) {
                committedBefore++;
            }
        }
        assertTrue(committedBefore >= 30, "the ensemble committed before the voters crashed in only "
                + committedBefore + " of 40 runs");
    }

    /**
     * The first crash-heavy seed on which the lying driver breaks an invariant while the honest
     * driver, on the same seed, breaks none: the failure is the broken driver's, not the core's.
     */
    private static SimulationFailure caughtOnlyWhenBroken(boolean earlyChecks) {
        for (long seed = 1; seed <= 300; seed++) {
            SimParams honest = SimParams.forSeed(seed).crashHeavy().with(SimParams.Variant.NONE, earlyChecks);
            try {
                Simulator.run(honest);
            } catch (SimulationFailure f) {
                continue;
            }
            try {
                Simulator.run(honest.with(SimParams.Variant.LYING_FSYNC, earlyChecks));
            } catch (SimulationFailure f) {
                System.out.println("lying fsync caught at seed " + seed + " by '" + f.invariant + "'");
                return f;
            }
        }
        throw new AssertionError("the lying driver went unnoticed in 300 seeds");
    }

    private static TreeMap<String, Long> sent(List<Simulator.Result> results) {
        TreeMap<String, Long> sent = new TreeMap<>();
        for (Simulator.Result r : results) {
            r.sent().forEach((k, v) -> sent.merge(k, v, Long::sum));
        }
        return sent;
    }

    private static String summary(List<Simulator.Result> results) {
        long steps = 0;
        long ticks = 0;
        long committed = 0;
        long leaders = 0;
        long crashes = 0;
        long partitions = 0;
        for (Simulator.Result r : results) {
            steps += r.steps();
            ticks += r.ticks();
            committed += r.committed();
            leaders += r.leaders();
            crashes += r.crashes();
            partitions += r.partitions();
        }
        long recoveries = 0;
        long recoveryTicks = 0;
        long slowest = 0;
        for (Simulator.Result r : results) {
            if (r.recoveryTicks() >= 0) {
                recoveries++;
                recoveryTicks += r.recoveryTicks();
                slowest = Math.max(slowest, r.recoveryTicks());
            }
        }
        return String.format("zab simulation: %d runs passed, %d steps, %d ticks, %d txns committed, %d leaders"
                + " established, %d crashes, %d partitions; recovery after the faults took %d ticks on average,"
                + " %d at most%nmessages sent: %s", results.size(), steps, ticks, committed, leaders, crashes,
                partitions, recoveries == 0 ? 0 : recoveryTicks / recoveries, slowest, sent(results));
    }
}
