package io.paddock.nemesis;

/**
 * The pause family: SIGSTOP then SIGCONT of a follower, the leader, and the leader with a follower
 * for longer than the session timeout (seed 8 draws all three within 50 s).
 */
class PauseNemesisIT extends NemesisIT {
    PauseNemesisIT() {
        super(Schedule.Family.PAUSES, 8, 50_000);
    }
}
