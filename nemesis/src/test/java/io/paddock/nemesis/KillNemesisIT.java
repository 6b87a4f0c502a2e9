package io.paddock.nemesis;

/**
 * The kill family: SIGKILL of the leader, a follower, a majority or every server, each restarted on
 * its data after a seeded delay. Seed 18 draws each of the four within 50 s.
 */
class KillNemesisIT extends NemesisIT {
    KillNemesisIT() {
        super(Schedule.Family.KILLS, 18, 50_000);
    }
}
