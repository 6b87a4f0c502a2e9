package io.paddock.nemesis;

/**
 * The partition family: leader, a follower or a minority cut off from the rest, or a bridge
 * (iptables DROP); seed 18 gives one of each within 60 s.
 */
class PartitionNemesisIT extends NemesisIT {
    PartitionNemesisIT() {
        super(Schedule.Family.PARTITIONS, 18, 60_000);
    }
}
