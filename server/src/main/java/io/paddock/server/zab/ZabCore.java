package io.paddock.server.zab;

import java.util.List;

/**
 * Zab as a pure, deterministic state machine (skeleton: the API the drivers and the simulation use).
 */
public final class ZabCore {
    /**
     * A core for a server that recovered this from its disk.
     *
     * @param acceptedEpoch the acceptedEpoch file (-1: missing)
     * @param currentEpoch  the currentEpoch file (-1: missing)
     * @param lastZxid      the last zxid of the log (or of the snapshot when the log is empty); 0 when empty
     * @param recentLog     the last entries of the log, oldest first, ending at {@code lastZxid} (at most
     *                      {@code commitLogCount}; may be empty): what the server can send a learner by DIFF
     */
    public ZabCore(ZabConfig config, long acceptedEpoch, long currentEpoch, long lastZxid, List<Entry> recentLog) {
        throw new UnsupportedOperationException("not yet");
    }

    /** The first actions: the server starts looking for a leader. */
    public List<Action> start() {
        throw new UnsupportedOperationException("not yet");
    }

    /** Handles one input and returns what to do, in order (see {@link Action}). */
    public List<Action> step(Input input) {
        throw new UnsupportedOperationException("not yet");
    }
}
