package io.paddock.nemesis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One family of faults on three servers, a short fixed schedule, for Paddock and for Apache
 * ZooKeeper under the same seed: the history must pass every check and the healed ensemble must
 * converge. Needs root, ip netns and iptables; without them it fails saying what is missing.
 * Longer runs and other seeds: nemesis/run.sh.
 */
abstract class NemesisIT {
    private final Schedule.Family family;
    private final long seed;
    private final long millis;

    /** Fixed seed and length, so CI runs the same schedule every time. */
    NemesisIT(Schedule.Family family, long seed, long millis) {
        this.family = family;
        this.seed = seed;
        this.millis = millis;
    }

    @Test
    void paddock() throws Exception {
        check("paddock");
    }

    @Test
    void apache() throws Exception {
        check("apache");
    }

    private void check(String system) throws Exception {
        NemesisRun.Report report = NemesisRun.run(new NemesisRun.Config(system, family, seed, millis, 3));
        assertEquals(List.of(), report.violations(), report.summary());
    }
}
