package io.paddock.nemesis;

/**
 * The disk family: the leader's, then a follower's data directory full (a filled tmpfs); seed 2
 * gives one of each within 50 s.
 */
class DiskNemesisIT extends NemesisIT {
    DiskNemesisIT() {
        super(Schedule.Family.DISKS, 2, 50_000);
    }
}
