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
    private static final int DEFAULT_SEEDS = 1000;
    private static final int MAX_REPORTED = 5;

    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void seeds() {
        String one = System.getProperty("zab.sim.seed");
        if (one != null && !one.isBlank()) {
            long seed = Long.parseLong(one.trim());
            SimParams p = SimParams.forSeed(seed);
            System.out.println("seed " + seed + ": " + p.topology() + "; " + p.faults());
            Simulator.Result r = new Simulator(p, SimCore.real(), true, System.out).run();
            System.out.println(summary(List.of(r)));
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
                b.append("  seed ").append(f.seed).append(": ").append(f.invariant).append("  -- ")
                        .append(Simulator.replayCommand(f.seed)).append('\n');
            }
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
        for (long seed = 1; seed <= 6; seed++) {
            Simulator.Result a = new Simulator(SimParams.forSeed(seed), SimCore.real(), true, null).run();
            Simulator.Result b = new Simulator(SimParams.forSeed(seed), SimCore.real(), true, null).run();
            assertEquals(a.steps(), b.steps(), "seed " + seed + " steps");
            assertEquals(a.traceHash(), b.traceHash(), "seed " + seed + " trace");
        }
    }

    /**
     * The checker can fail: a driver that reports Persisted before the fsync lets the leader commit
     * what a power loss then erases. Only the end-to-end invariants are on, so this is caught by what
     * clients would see (a committed txn lost or replaced), not by the durability bookkeeping.
     */
    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void lyingFsyncLosesCommittedTxnsAndIsCaught() {
        SimulationFailure caught = firstFailure(seed -> SimParams.forSeed(seed).crashHeavy()
                .with(SimParams.Variant.LYING_FSYNC, false));
        assertTrue(Set.of("leader-has-committed", "committed-prefix", "no-truncate-committed", "reply-after-commit")
                .contains(caught.invariant), caught.getMessage());
    }

    /** With the durability bookkeeping on, the same broken driver is caught at the commit that is not yet durable. */
    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void lyingFsyncIsCaughtAtTheUnsafeCommit() {
        SimulationFailure caught = firstFailure(seed -> SimParams.forSeed(seed).crashHeavy()
                .with(SimParams.Variant.LYING_FSYNC, true));
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

    private interface ParamsForSeed {
        SimParams of(long seed);
    }

    private static SimulationFailure firstFailure(ParamsForSeed params) {
        for (long seed = 1; seed <= 300; seed++) {
            try {
                Simulator.run(params.of(seed));
            } catch (SimulationFailure f) {
                System.out.println("broken driver caught at seed " + seed + " by '" + f.invariant + "'");
                return f;
            }
        }
        throw new AssertionError("the broken driver went unnoticed in 300 seeds");
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
        return String.format("zab simulation: %d runs passed, %d steps, %d ticks, %d txns committed, %d leaders"
                + " established, %d crashes, %d partitions%nmessages sent: %s", results.size(), steps, ticks,
                committed, leaders, crashes, partitions, sent(results));
    }
}
