package io.paddock.nemesis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The partition family on three servers, a short fixed schedule, for Paddock and for Apache
 * ZooKeeper under the same seed: the history must pass every check and the healed ensemble must
 * converge. Needs root, ip netns and iptables; without them it fails saying what is missing.
 * Longer and other seeds: nemesis/run.sh.
 */
class PartitionNemesisIT {
    /** Fixed, so CI runs the same schedule every time; about a minute of workload per system. */
    private static final long SEED = 14;
    private static final long MILLIS = 60_000;

    @Test
    void paddock() throws Exception {
        check("paddock");
    }

    @Test
    void apache() throws Exception {
        check("apache");
    }

    private static void check(String system) throws Exception {
        NemesisRun.Report report = NemesisRun.run(new NemesisRun.Config(system, SEED, MILLIS, 3));
        assertEquals(List.of(), report.violations(), report.summary());
    }
}
