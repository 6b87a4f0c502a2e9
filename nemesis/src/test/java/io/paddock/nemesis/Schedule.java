package io.paddock.nemesis;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A seeded list of faults: the same seed, length and ensemble size give the same schedule, so a
 * failing run replays. Faults never overlap; each is followed by a quiet stretch in which the
 * ensemble may recover, and the run ends quiet.
 */
record Schedule(long seed, long millis, int servers, List<Fault> faults) {
    /** The partition family. Leader and follower are whoever holds the role when the fault starts. */
    enum Kind {
        /** The leader alone on one side, the rest on the other. */
        ISOLATE_LEADER,
        /** One follower alone. */
        ISOLATE_FOLLOWER,
        /** A random minority against the majority. */
        MAJORITY_MINORITY
    }

    /**
     * One fault: from {@code at} (ms after the workload starts) for {@code duration} ms; {@code pick}
     * chooses among candidates (which follower, which minority) when it starts.
     */
    record Fault(long at, long duration, Kind kind, long pick) {
        @Override
        public String toString() {
            return String.format("%6.1fs %-17s for %4.1fs", at / 1000.0, kind.name().toLowerCase().replace('_', '-'),
                    duration / 1000.0);
        }
    }

    static Schedule partitions(long seed, long millis, int servers) {
        Random random = new Random(seed);
        List<Fault> faults = new ArrayList<>();
        // A few seconds of calm first, so every session connects and the history starts clean.
        long t = 3_000;
        // The last fault heals at least 10 s before the end: the run ends with an ensemble that recovered.
        while (true) {
            long duration = 4_000 + random.nextInt(8_000);
            Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
            if (t + duration + 10_000 > millis) {
                break;
            }
            faults.add(new Fault(t, duration, kind, random.nextLong()));
            t += duration + 3_000 + random.nextInt(5_000);
        }
        return new Schedule(seed, millis, servers, List.copyOf(faults));
    }

    /** The schedule, one fault a line, and the command that replays it. */
    String describe(String system) {
        StringBuilder b = new StringBuilder("nemesis: partitions, seed " + seed + ", " + millis / 1000 + " s, " + servers
                + " servers, " + system + "\n");
        for (Fault f : faults) {
            b.append("  ").append(f).append('\n');
        }
        b.append("  replay: nemesis/run.sh --seed ").append(seed).append(" --seconds ").append(millis / 1000)
                .append(" --servers ").append(servers).append(" --system ").append(system).append('\n');
        return b.toString();
    }
}
