package io.paddock.server.core.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Whole servers under the deterministic simulation ({@link WholeServerSim}): many seeds of random
 * kills, pauses and partitions under clients that pipeline, move and compare-and-set. A failure
 * names the broken promise, the seed, the command that replays it, and the trace that led to it.
 *
 * <p>{@code -Dsim.seeds=N} runs N seeds (from {@code -Dsim.firstSeed}, default 1);
 * {@code -Dsim.seed=S} replays seed S alone, printing every event.
 */
class WholeServerSimulationTest {
    private static final int DEFAULT_SEEDS = 2000;
    private static final ch.qos.logback.classic.Logger PADDOCK =
            (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.paddock");
    private static ch.qos.logback.classic.Level level;

    /** Thousands of simulated servers start, elect and expire sessions: only warnings are worth a line. */
    @BeforeAll
    static void quiet() {
        level = PADDOCK.getLevel();
        PADDOCK.setLevel(ch.qos.logback.classic.Level.WARN);
    }

    @AfterAll
    static void restore() {
        PADDOCK.setLevel(level);
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void seeds() {
        String one = System.getProperty("sim.seed");
        if (one != null && !one.isBlank()) {
            WholeServerSim.Params p = WholeServerSim.Params.forSeed(Long.parseLong(one.trim()));
            WholeServerSim sim = new WholeServerSim(p, true);
            System.out.println("seed " + p.seed() + ": " + p);
            try {
                System.out.println(sim.run());
            } finally {
                System.out.print(sim.fullTrace());
            }
            return;
        }
        int count = Integer.getInteger("sim.seeds", DEFAULT_SEEDS);
        long first = Long.getLong("sim.firstSeed", 1L);
        List<WholeServerSim.Failure> failures = new ArrayList<>();
        long writes = 0;
        long started = System.nanoTime();
        for (long seed = first; seed < first + count && failures.size() < 3; seed++) {
            try {
                String summary = new WholeServerSim(WholeServerSim.Params.forSeed(seed), false).run();
                writes += Long.parseLong(summary.replaceAll(".*: (\\d+) writes checked.*", "$1"));
            } catch (WholeServerSim.Failure f) {
                failures.add(f);
            }
        }
        System.out.printf("whole-server simulation: %d seeds from %d, %d writes checked, %.1f s%n", count, first,
                writes, (System.nanoTime() - started) / 1e9);
        if (!failures.isEmpty()) {
            StringBuilder b = new StringBuilder(failures.size() + " failing seed(s):");
            for (WholeServerSim.Failure f : failures) {
                b.append(' ').append(f.seed);
            }
            b.append("\n\nfirst failure:\n").append(failures.get(0).getMessage());
            fail(b.toString());
        }
    }

    @Test
    void aSeedReplaysExactly() {
        WholeServerSim.Params p = WholeServerSim.Params.forSeed(7);
        WholeServerSim a = new WholeServerSim(p, true);
        WholeServerSim b = new WholeServerSim(p, true);
        assertEquals(a.run(), b.run());
        assertEquals(a.fullTrace(), b.fullTrace());
        assertTrue(a.fullTrace().contains("kill") || a.fullTrace().contains("isolate"), "the seed has faults");
    }

    // ---------------------------------------------------------------- the checkers can fail

    @Test
    void repliesOutOfRequestOrderAreCaught() {
        assertCaught(WholeServerSim.Variant.REORDERED_REPLIES, "request order");
    }

    @Test
    void acknowledgedWritesLostWithAProcessAreCaught() {
        assertCaught(WholeServerSim.Variant.LYING_FSYNC, "");
    }

    /** Some seed of the first 200 fails with the broken variant, naming {@code what}. */
    private static void assertCaught(WholeServerSim.Variant variant, String what) {
        for (long seed = 1; seed <= 200; seed++) {
            try {
                new WholeServerSim(WholeServerSim.Params.forSeed(seed).with(variant), false).run();
            } catch (WholeServerSim.Failure f) {
                assertTrue(f.getMessage().contains(what), f.getMessage());
                System.out.println(variant + " caught at seed " + seed + ": " + f.getMessage().lines().findFirst().orElse(""));
                return;
            }
        }
        fail(variant + " was not caught in 200 seeds");
    }

    @Test
    void aRefusalAgainstTheCommittedVersionIsNotLinearizable() {
        RegisterHistory h = new RegisterHistory(1);
        // Version 0 is committed; a CAS expecting it is refused while nothing else could have changed it.
        h.refused(h.invoke(1, 0, RegisterHistory.Kind.CAS, 0, "a", 10), 11);
        // ... and later another client's CAS on version 0 succeeds.
        h.ok(h.invoke(2, 0, RegisterHistory.Kind.CAS, 0, "b", 20), 1, 25);
        assertNotNull(h.check());
    }

    @Test
    void aRefusalExplainedByAConcurrentUnknownWriteIsLinearizable() {
        RegisterHistory h = new RegisterHistory(1);
        RegisterHistory.Op lost = h.invoke(3, 0, RegisterHistory.Kind.WRITE, -1, "x", 5);
        h.unknown(lost);
        h.refused(h.invoke(1, 0, RegisterHistory.Kind.CAS, 0, "a", 10), 11);
        h.ok(h.invoke(2, 0, RegisterHistory.Kind.CAS, 1, "b", 20), 2, 25);
        assertNull(h.check());
    }

    @Test
    void aLostAcknowledgedWriteIsNotLinearizable() {
        RegisterHistory h = new RegisterHistory(1);
        h.ok(h.invoke(1, 0, RegisterHistory.Kind.WRITE, -1, "a", 0), 1, 5);
        // The next write says version 1: the acknowledged write of version 1 was lost.
        h.ok(h.invoke(2, 0, RegisterHistory.Kind.WRITE, -1, "b", 10), 1, 15);
        assertNotNull(h.check());
    }

    @Test
    void concurrentWritesInEitherOrderAreLinearizable() {
        RegisterHistory h = new RegisterHistory(1);
        RegisterHistory.Op a = h.invoke(1, 0, RegisterHistory.Kind.WRITE, -1, "a", 0);
        RegisterHistory.Op b = h.invoke(2, 0, RegisterHistory.Kind.WRITE, -1, "b", 1);
        h.ok(b, 1, 5);
        h.ok(a, 2, 6);
        assertNull(h.check());
    }
}
