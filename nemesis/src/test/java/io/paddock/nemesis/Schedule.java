package io.paddock.nemesis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A seeded list of faults of one family: the same family, seed, length and ensemble size give the
 * same schedule, so a failing run replays. Faults never overlap; each is followed by a quiet
 * stretch in which the ensemble may recover, and the run ends quiet.
 */
record Schedule(Family family, long seed, long millis, int servers, List<Fault> faults) {
    /** A family of faults: which kinds it draws from. {@code MIXED} draws from all of them. */
    enum Family {
        PARTITIONS, KILLS, PAUSES, CLIENT_CUTS, CLOCKS, DISKS, MIXED;

        /** As {@code run.sh --family} spells it. */
        String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        static Family of(String label) {
            return valueOf(label.toUpperCase(Locale.ROOT).replace('-', '_'));
        }

        List<Kind> kinds() {
            return this == MIXED ? List.of(Kind.values()) : Arrays.stream(Kind.values()).filter(k -> k.family == this).toList();
        }
    }

    /**
     * What a fault does, and how long it may last (ms; the duration is drawn between the two).
     * Leader and follower are whoever holds the role when the fault starts.
     */
    enum Kind {
        /** The leader alone on one side of a partition, the rest on the other. */
        ISOLATE_LEADER(Family.PARTITIONS, 4_000, 12_000),
        /** One follower alone. */
        ISOLATE_FOLLOWER(Family.PARTITIONS, 4_000, 12_000),
        /** A random minority against the majority. */
        MAJORITY_MINORITY(Family.PARTITIONS, 4_000, 12_000),
        /**
         * A bridge: one server still talks to every other, the others split in two halves that cannot
         * reach each other ({1,2}|{2,3} of three servers, {1,2,3}|{3,4,5} of five). The bridge is a
         * seeded pick, the leader or not.
         */
        BRIDGE(Family.PARTITIONS, 4_000, 12_000),
        /** SIGKILL of the leader; the duration is how long it stays down before it restarts on its data. */
        KILL_LEADER(Family.KILLS, 1_000, 8_000),
        /** SIGKILL of one follower, restarted later. */
        KILL_FOLLOWER(Family.KILLS, 1_000, 8_000),
        /** SIGKILL of a random majority: no quorum until they restart. */
        KILL_MAJORITY(Family.KILLS, 1_000, 8_000),
        /** SIGKILL of every server. */
        KILL_ALL(Family.KILLS, 1_000, 8_000),
        /** SIGSTOP of the leader, SIGCONT after the duration: a long GC pause or a stopped VM. */
        PAUSE_LEADER(Family.PAUSES, 2_000, 8_000),
        /** SIGSTOP of one follower. */
        PAUSE_FOLLOWER(Family.PAUSES, 2_000, 8_000),
        /**
         * SIGSTOP of the leader and a follower, longer than the session timeout: sessions expire while
         * the servers that would expire them are frozen (issue 13's zombie sessions).
         */
        PAUSE_LEADER_AND_FOLLOWER(Family.PAUSES, Workload.SESSION_TIMEOUT_MS + 2_000, Workload.SESSION_TIMEOUT_MS + 6_000),
        /**
         * Nothing passes between the clients (the bridge address) and one server; its TCP connections
         * stay open. Longer than the session timeout half the time, so sessions held there may expire.
         */
        CUT_CLIENTS(Family.CLIENT_CUTS, 3_000, 2 * Workload.SESSION_TIMEOUT_MS),
        /**
         * The wall clock of one server (a seeded pick) stepped forward by 1 min to 10 h, then back to
         * the true time when the fault ends: what an NTP daemon does when it finds the clock far off
         * (ntpd or chrony stepping, or a VM's clock resynced after a pause). See {@link Clocks}: only
         * the wall clock (CLOCK_REALTIME) moves; the monotonic clock both servers time their
         * timeouts with is never stepped by NTP, and so is not here.
         */
        CLOCK_STEP_FORWARD(Family.CLOCKS, 4_000, 12_000),
        /** As {@link #CLOCK_STEP_FORWARD}, stepped back by 1 min to 10 h: timestamps earlier than ones already given. */
        CLOCK_STEP_BACK(Family.CLOCKS, 4_000, 12_000),
        /**
         * The wall clock of one server runs fast (1.5 to 4 times the true rate) from where it stands,
         * without a jump, then is stepped back to the true time when the fault ends: a drifting clock
         * that NTP does not discipline, corrected by a step. Only the wall clock: see {@link Clocks}.
         */
        CLOCK_FAST(Family.CLOCKS, 4_000, 12_000),
        /** As {@link #CLOCK_FAST}, running slow (0.25 to 0.75 times the true rate). */
        CLOCK_SLOW(Family.CLOCKS, 4_000, 12_000),
        /**
         * The leader's data directory full (a tmpfs of its own, filled by a file): its writes to the
         * transaction log and snapshots fail with ENOSPC. When the fault ends the file goes, and the
         * server is started again if it exited (Apache ZooKeeper, mostly) or does not serve 5 s later
         * (Paddock leaves the ensemble until restarted). Nothing acknowledged may be lost. See {@link Disks}.
         */
        FILL_DISK_LEADER(Family.DISKS, 4_000, 12_000),
        /** As {@link #FILL_DISK_LEADER}, of one follower. */
        FILL_DISK_FOLLOWER(Family.DISKS, 4_000, 12_000);

        final Family family;
        final int shortest;
        final int longest;

        Kind(Family family, int shortest, int longest) {
            this.family = family;
            this.shortest = shortest;
            this.longest = longest;
        }

        String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * One fault: from {@code at} (ms after the workload starts) for {@code duration} ms; {@code pick}
     * chooses among candidates (which follower, which minority) when it starts.
     */
    record Fault(long at, long duration, Kind kind, long pick) {
        @Override
        public String toString() {
            return String.format("%6.1fs %-25s for %4.1fs", at / 1000.0, kind.label(), duration / 1000.0);
        }
    }

    static Schedule of(Family family, long seed, long millis, int servers) {
        Random random = new Random(seed);
        List<Kind> kinds = family.kinds();
        List<Fault> faults = new ArrayList<>();
        // A few seconds of calm first, so every session connects and the history starts clean.
        long t = 3_000;
        // The last fault heals at least 10 s before the end: the run ends with an ensemble that recovered.
        while (true) {
            // Drawn in this order since the partition family's first schedules, so their seeds still replay.
            long spread = random.nextInt(8_000);
            Kind kind = kinds.get(random.nextInt(kinds.size()));
            long duration = kind.shortest + spread * (kind.longest - kind.shortest) / 8_000;
            if (t + duration + 10_000 > millis) {
                break;
            }
            faults.add(new Fault(t, duration, kind, random.nextLong()));
            t += duration + 3_000 + random.nextInt(5_000);
        }
        return new Schedule(family, seed, millis, servers, List.copyOf(faults));
    }

    /** The schedule, one fault a line, and the command that replays it. */
    String describe(String system) {
        StringBuilder b = new StringBuilder("nemesis: " + family.label() + ", seed " + seed + ", " + millis / 1000 + " s, "
                + servers + " servers, " + system + "\n");
        for (Fault f : faults) {
            b.append("  ").append(f).append('\n');
        }
        b.append("  replay: ").append(replay(system)).append('\n');
        return b.toString();
    }

    String replay(String system) {
        return "nemesis/run.sh --family " + family.label() + " --seed " + seed + " --seconds " + millis / 1000
                + " --servers " + servers + " --system " + system;
    }
}
