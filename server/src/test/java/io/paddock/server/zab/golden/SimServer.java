package io.paddock.server.zab.golden;

import io.paddock.server.zab.ServerState;
import io.paddock.server.zab.ZabConfig;
import io.paddock.server.zab.ZabCore;

/** One simulated server: its core (null while down), its disk and what its application saw. */
final class SimServer {
    final long id;
    final ZabConfig config;
    final SimDisk disk = new SimDisk();
    ZabCore core;
    /** Names the links of this start: the id at first, then id + 10 at each restart, so it reads well. */
    long incarnation;
    boolean everStarted;
    boolean up;
    /** The application's state machine holds every txn up to here. */
    long applied;
    /** The last role the core announced. */
    ServerState role = ServerState.LOOKING;
    long roleEpoch;
    boolean serving;

    SimServer(long id, ZabConfig config) {
        this.id = id;
        this.config = config;
        this.incarnation = id;
    }
}
