package io.paddock.server.differential;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.server.differential.TraceComparator.Mismatch;
import io.paddock.server.testing.TestServer;
import io.paddock.server.testing.TestServers;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Proves the differential comparison can fail: a trace recorded from two Apache servers
 * compares clean, and each deliberate perturbation of server B's side of it is reported at
 * exactly the perturbed step; perturbations that only renumber zxids or shift times, which a
 * correct implementation may legitimately show, are not reported.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class DifferentialComparatorTest {
    private static final long SEED = 11;
    private static final int OPS = 500;
    private static Trace recorded;

    @BeforeAll
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    static void recordApacheAgainstApache() throws Exception {
        try (TestServer a = TestServers.apache(Map.of());
                TestServer b = TestServers.apache(Map.of());
                DifferentialRun run = new DifferentialRun(SEED, OPS, a, b)) {
            recorded = run.run();
        }
    }

    @Test
    void recordedTraceComparesClean() {
        assertEquals(Optional.empty(), TraceComparator.firstMismatch(recorded));
    }

    @Test
    void changedStatVersionIsDetected() {
        int pos = find(s -> !s.b().stats().isEmpty());
        Trace perturbed = recorded.replace(pos, s -> s.withB(s.b().mapStats(st -> st.withVersion(st.version() + 1))));
        assertMismatchAt(perturbed, pos, "stat#0 differs");
    }

    @Test
    void changedEphemeralOwnerIsDetected() {
        int pos = find(s -> s.b().stats().stream().anyMatch(st -> st.owner().startsWith("s")));
        Trace perturbed = recorded.replace(pos, s -> s.withB(s.b().mapStats(st -> st.withOwner("0"))));
        assertMismatchAt(perturbed, pos, "owner");
    }

    @Test
    void changedResultIsDetected() {
        int pos = find(s -> s.b().text().startsWith("children=[") && !s.b().text().startsWith("children=[]"));
        Trace perturbed = recorded.replace(pos, s -> s.withB(s.b().withText(s.b().text().replace("children=[",
                "children=[zz, "))));
        assertMismatchAt(perturbed, pos, "results differ");
    }

    @Test
    void changedErrorCodeIsDetected() {
        int pos = find(s -> s.b().text().equals("err NONODE"));
        Trace perturbed = recorded.replace(pos, s -> s.withB(Outcome.of("err NOAUTH")));
        assertMismatchAt(perturbed, pos, "results differ");
    }

    @Test
    void droppedWatchEventIsDetected() {
        int pos = find(s -> s.op().startsWith("checkpoint") && s.b().text().contains("=[Node"));
        Trace perturbed = recorded.replace(pos, s -> s.withB(s.b().withText(dropFirstEvent(s.b().text()))));
        assertMismatchAt(perturbed, pos, "results differ");
    }

    @Test
    void mergedZxidsAreDetected() {
        // B claims the node was last modified by the transaction that created it; A says later.
        int pos = find(s -> s.b().stats().stream().anyMatch(st -> st.mzxid() > st.czxid()));
        Trace perturbed = recorded.replace(pos, s -> s.withB(s.b().mapStats(
                st -> st.mzxid() > st.czxid() ? st.withZxids(st.czxid(), st.czxid(), st.pzxid()) : st)));
        assertMismatchAt(perturbed, pos, "zxid order differs");
    }

    @Test
    void reversedZxidOrderIsDetected() {
        Trace perturbed = recorded.mapAll(s -> s.withB(s.b().mapStats(
                st -> st.withZxids(-st.czxid(), -st.mzxid(), -st.pzxid()))));
        Optional<Mismatch> m = TraceComparator.firstMismatch(perturbed);
        assertTrue(m.isPresent(), "reversed zxid order went unnoticed");
        assertTrue(m.get().reason().contains("zxid order differs"), m.get().reason());
    }

    @Test
    void inconsistentTimestampsAreDetected() {
        int pos = find(s -> s.b().stats().stream().anyMatch(st -> st.mzxid() == st.czxid() && st.czxid() != 0));
        Trace perturbed = recorded.replace(pos, s -> s.withB(s.b().mapStats(
                st -> st.mzxid() == st.czxid() && st.czxid() != 0 ? st.withTimes(st.ctime(), st.ctime() + 1) : st)));
        assertMismatchAt(perturbed, pos, "timestamps inconsistent on server B");
    }

    @Test
    void renumberedZxidsAndShiftedTimesAreAccepted() {
        // Another server may number transactions with gaps and run at another time: not a difference.
        Trace renumbered = recorded.mapAll(s -> s.withB(s.b().mapStats(st -> st
                .withZxids(3 * st.czxid() + 1000, 3 * st.mzxid() + 1000, 3 * st.pzxid() + 1000)
                .withTimes(st.ctime() + 12_345, st.mtime() + 12_345))));
        assertEquals(Optional.empty(), TraceComparator.firstMismatch(renumbered));
    }

    @Test
    void reportNamesSeedIndexBothOutcomesAndContext() {
        int pos = find(s -> s.b().text().equals("err NONODE") && s.index() > Trace.CONTEXT);
        Trace perturbed = recorded.replace(pos, s -> s.withB(Outcome.of("err NOAUTH")));
        Mismatch m = TraceComparator.firstMismatch(perturbed).orElseThrow();
        String report = perturbed.report(new Trace.RunInfo(SEED, OPS, "apache", "paddock"), m);
        int index = recorded.steps().get(pos).index();
        assertTrue(report.contains("seed=" + SEED), report);
        assertTrue(report.contains("at op #" + index), report);
        assertTrue(report.contains("A (apache): err NONODE"), report);
        assertTrue(report.contains("B (paddock): err NOAUTH"), report);
        assertTrue(report.contains("#" + (index - Trace.CONTEXT) + " "), report);
        assertTrue(report.contains("-Ddifferential.seed=" + SEED), report);
    }

    @Test
    void zxidCorrespondenceIsAnOrderIsomorphism() {
        ZxidCorrespondence z = new ZxidCorrespondence();
        assertEquals(Optional.empty(), z.pair("x", 0x10, 0x200));
        assertEquals(Optional.empty(), z.pair("x", 0x30, 0x900), "gaps may differ");
        assertEquals(Optional.empty(), z.pair("x", 0x20, 0x500), "an older zxid revealed late, in order");
        assertEquals(Optional.empty(), z.pair("x", 0x10, 0x200), "the same pair again");
        assertTrue(z.pair("x", 0x25, 0x100).isPresent(), "0x25 > 0x10 on A but 0x100 < 0x200 on B");
        assertTrue(z.pair("x", 0x10, 0x501).isPresent(), "one transaction on A cannot be two on B");
        assertTrue(z.pair("x", 0x28, 0x500).isPresent(), "two transactions on A cannot be one on B");
    }

    private static int find(Predicate<Step> which) {
        List<Step> steps = recorded.steps();
        for (int i = 0; i < steps.size(); i++) {
            if (which.test(steps.get(i))) {
                return i;
            }
        }
        throw new AssertionError("the recorded trace has no step to perturb for this test");
    }

    private static void assertMismatchAt(Trace perturbed, int pos, String reason) {
        Optional<Mismatch> m = TraceComparator.firstMismatch(perturbed);
        assertTrue(m.isPresent(), "perturbation at step position " + pos + " went unnoticed");
        assertEquals(recorded.steps().get(pos).index(), m.get().step().index(), m.get().reason());
        assertTrue(m.get().reason().contains(reason), m.get().reason());
    }

    /** Removes the first event from a checkpoint text such as "c0=[NodeCreated /d/a, ...]; c1=[]". */
    private static String dropFirstEvent(String text) {
        int start = text.indexOf("=[Node") + 2;
        int comma = text.indexOf(", ", start);
        int close = text.indexOf(']', start);
        int end = comma >= 0 && comma < close ? comma + 2 : close;
        return text.substring(0, start) + text.substring(end);
    }
}
