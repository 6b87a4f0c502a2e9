package io.paddock.server.core;

import io.paddock.server.zab.ServerState;

/**
 * Where this server stands: its role in the ensemble, whether it serves clients, whether its log
 * still takes writes. Changed by the step alone; read by the parts it hands work to. Core thread only.
 */
final class Standing {
    /** Part of an ensemble (else standalone: always serving, always the one who proposes). */
    final boolean ensemble;
    private ServerState role = ServerState.LEADING;
    private boolean serving;
    private Throwable storageFailure;

    Standing(boolean ensemble) {
        this.ensemble = ensemble;
        this.serving = !ensemble;
    }

    ServerState role() {
        return role;
    }

    boolean serving() {
        return serving;
    }

    void set(ServerState newRole, boolean nowServing) {
        role = newRole;
        serving = nowServing;
    }

    boolean leading() {
        return role == ServerState.LEADING;
    }

    boolean learner() {
        return role == ServerState.FOLLOWING || role == ServerState.OBSERVING;
    }

    /** Set once the log failed: reads go on, writes are refused until a restart. */
    boolean writesDisabled() {
        return storageFailure != null;
    }

    Throwable storageFailure() {
        return storageFailure;
    }

    void storageFailed(Throwable cause) {
        storageFailure = cause;
    }

    /**
     * Whether a leader confirms that it still leads, with a barrier txn, before it decides on a
     * session's re-attach. A standalone server cannot be deposed; one whose log failed can commit
     * nothing (it answers from what it has).
     */
    boolean confirmsByBarrier() {
        return ensemble && !writesDisabled();
    }
}
