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
    /** Whether a member without a quorum may serve read-only clients (readonlymode.enabled). */
    private final boolean readOnlyEnabled;
    /** How long a member looks for a leader before it serves read-only: a short election is no partition. */
    private final long readOnlyGraceMs;
    /** Since when (monotonic ms) this member has been looking without serving; -1 while it has a leader. */
    private long lookingSinceMs = -1;
    private boolean readOnly;

    Standing(boolean ensemble, boolean readOnlyEnabled, long readOnlyGraceMs) {
        this.ensemble = ensemble;
        this.serving = !ensemble;
        this.readOnlyEnabled = readOnlyEnabled && ensemble;
        this.readOnlyGraceMs = readOnlyGraceMs;
    }

    ServerState role() {
        return role;
    }

    boolean serving() {
        return serving;
    }

    /** The replicator's word on the role; {@code nowMs} (monotonic) dates the start of a search for a leader. */
    void set(ServerState newRole, boolean nowServing, long nowMs) {
        role = newRole;
        serving = nowServing;
        if (role == ServerState.LOOKING && !serving) {
            if (lookingSinceMs < 0) {
                lookingSinceMs = nowMs;
            }
        } else {
            // A leader is found (even one still synchronizing this member): read-only service ends,
            // as the state may now be replaced.
            lookingSinceMs = -1;
            readOnly = false;
        }
    }

    /**
     * Whether this member serves read-only clients: it is part of an ensemble with read-only mode
     * on, has looked for a leader (and so a quorum) for the whole grace period, and its log works.
     */
    boolean readOnly() {
        return readOnly;
    }

    /** At a tick: turns read-only service on once the grace period has passed; true if it just did. */
    boolean enterReadOnlyIfDue(long nowMs) {
        if (readOnly || !readOnlyEnabled || lookingSinceMs < 0 || writesDisabled()
                || nowMs - lookingSinceMs < readOnlyGraceMs) {
            return false;
        }
        readOnly = true;
        return true;
    }

    /** Leaves read-only service (the state is about to be replaced). */
    void leaveReadOnly() {
        readOnly = false;
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
