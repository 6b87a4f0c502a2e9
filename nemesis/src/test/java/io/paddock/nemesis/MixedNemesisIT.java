package io.paddock.nemesis;

/**
 * The mixed family: faults drawn from every family; seed 50 gives a killed majority, the leader's
 * disk full, a partition, a fast clock and a paused follower within 60 s.
 */
class MixedNemesisIT extends NemesisIT {
    MixedNemesisIT() {
        super(Schedule.Family.MIXED, 50, 60_000);
    }
}
