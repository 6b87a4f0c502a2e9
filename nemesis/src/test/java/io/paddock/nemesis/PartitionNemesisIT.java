package io.paddock.nemesis;

/** The partition family: leader, a follower or a minority cut off from the rest (iptables DROP). */
class PartitionNemesisIT extends NemesisIT {
    PartitionNemesisIT() {
        super(Schedule.Family.PARTITIONS, 14, 60_000);
    }
}
