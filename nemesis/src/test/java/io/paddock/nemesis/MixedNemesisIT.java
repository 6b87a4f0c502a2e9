package io.paddock.nemesis;

/**
 * The mixed family: faults drawn from every family; seed 50 gives kills, pauses (the long one of
 * the leader and a follower among them) and a partition within 60 s.
 */
class MixedNemesisIT extends NemesisIT {
    MixedNemesisIT() {
        super(Schedule.Family.MIXED, 50, 60_000);
    }
}
