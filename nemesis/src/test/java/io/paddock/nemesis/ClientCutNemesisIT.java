package io.paddock.nemesis;

/**
 * The client-cut family: nothing passes between the clients and one server while its connections
 * stay open, twice for longer than the session timeout (seed 1), so sessions held there expire.
 */
class ClientCutNemesisIT extends NemesisIT {
    ClientCutNemesisIT() {
        super(Schedule.Family.CLIENT_CUTS, 1, 50_000);
    }
}
